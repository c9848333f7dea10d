from graddesc.cli import run

run()
