"""DR drills: rehearse losing a centre and measure it (BLUEPRINT §3, the drills stage).

A drill is a scenario run as named steps (`steps.py`: precheck, load, fault, observe, verify,
restore), driven by `playbooks/dr-drill.yml` through `govcloud drill step`. While it runs, a load
generator (`load.py`) writes sequenced rows through the service address and logs every
acknowledgement; afterwards the checker (`checker.py`) compares what was acknowledged with what the
surviving primary holds and is the only judge of RPO, RTO and split brain. Patroni's view
(`patroni.py`) only explains where the time went (`timeline.py`); `judge.py` holds each figure
against the targets of the systems the centre hosts. Everything a run produced stays under
`reports/drills/<run>/` (`records.py`); `report.py` renders the latest run and the history.
"""
