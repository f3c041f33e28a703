"""`python -m survey.cli`: the same as the `survey` console script."""

from survey.cli import main

main()
