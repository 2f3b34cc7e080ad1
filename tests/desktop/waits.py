"""How long a GUI test waits for background work (a dry run, the 工作台's fill, a worker thread) to be done.

A wait ends as soon as what it waits for has happened, so a long limit costs nothing when the code works; it only
decides when a test gives up. On a loaded CI machine (two test workers on two cores, a neighbour's build) a dry
run that takes 0.1 s here took seconds, and a 3-second limit failed a sound test — after which pytest-qt closed
its widgets with that work still running. Every wait for work uses this limit; no test asserts how fast
anything is (`make bench` measures that)."""

WORK_MS = 120_000
WORK_S = WORK_MS / 1000
