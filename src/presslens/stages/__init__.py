"""The analysis stages. Each module registers one stage with ``registry.register_stage``,
stating which ``Analysis`` fields it needs and which it adds; ``registry.STAGE_MODULES``
lists the modules, and the ``[pipeline] stages`` setting the order they run in."""
