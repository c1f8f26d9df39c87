"""presslens: a structured, checkable picture of what a (machine-translated) news article says.

    >>> import presslens
    >>> analysis = presslens.analyze("Nitanyahu said that ...", published="2024-02-08")
    >>> analysis.entities[0].name

For many texts, load the pipeline once::

    pipeline = presslens.Pipeline.from_config()
    for analysis in pipeline.analyze_many(texts):
        ...
"""

from presslens.errors import PresslensError
from presslens.model import SCHEMA_VERSION, Analysis, json_schema
from presslens.pipeline import Pipeline, analyze

__version__ = "0.1.0"
__all__ = ["SCHEMA_VERSION", "Analysis", "Pipeline", "PresslensError", "analyze", "json_schema"]
