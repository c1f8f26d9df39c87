"""Ways to run the pipeline over many articles, all on the one batch runner (``batch``):
in this process or in worker processes with a time budget each, or on Ray (``ray``)."""
