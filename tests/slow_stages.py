"""Stages for the time-budget tests, loaded through the config's ``[pipeline] plugins``
(so worker processes load them too). Each stalls only on an article that asks for it.

- ``test-sleep`` sleeps far past any budget in Python: the budget's timer interrupts it.
- ``test-stuck`` blocks the timer's signal first, as a loop in compiled code would be
  deaf to it: only killing the process ends it.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from presslens.registry import register_stage

STALL = "stall here"


class _Stall:
    def __init__(self, *, deaf: bool) -> None:
        self.deaf = deaf

    def __call__(self, context: Any, analysis: Any) -> Any:
        if STALL in analysis.text:
            if self.deaf:
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(600)
        return analysis


register_stage("test-sleep", requires=("doc",))(lambda config: _Stall(deaf=False))
register_stage("test-stuck", requires=("doc",))(lambda config: _Stall(deaf=True))


def config(stage: str, *, timeout: float = 2, grace: float = 2) -> dict[str, Any]:
    """A small pipeline (the parse, then the stalling stage) with a short budget."""
    return {"pipeline": {"stages": [stage], "plugins": ["slow_stages"]},
            "batch": {"timeout": timeout, "kill_grace": grace}}


def config_toml(stage: str, *, timeout: float = 2, grace: float = 2) -> str:
    return (f'[pipeline]\nstages = ["{stage}"]\nplugins = ["slow_stages"]\n'
            f"[batch]\ntimeout = {timeout}\nkill_grace = {grace}\n")
