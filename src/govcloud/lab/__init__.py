"""Lab engines: the containers and clusters a lab of the province runs on."""
