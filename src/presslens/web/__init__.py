"""The web UI over a corpus (``app``): pages and their JSON, the analysis form's queue
(``jobs``) and the defences every page gets (``security``)."""
