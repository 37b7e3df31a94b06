"""A routing policy that kills its worker process once, in the middle of a replication.

Used by the scale-out tests: the first worker process to route its 50th contact while the
marker file does not exist creates it and dies on the spot (``os._exit``, as a killed process
would). It never kills the main process, so a serial run with it is the reference. Otherwise it
routes exactly like ``longest_idle``.
"""

import multiprocessing
import os

from ccsim.routing.longest_idle import LongestIdle


class DiesOnce(LongestIdle):
    name = "dies_once"
    params_doc = {"marker": "file created by the one worker that dies"}

    def __init__(self, graph, params=None, rng=None):
        super().__init__(graph, params, rng)
        self.routed = 0

    def select_agent(self, contact, view):
        self.routed += 1
        marker = self.params.get("marker")
        if self.routed == 50 and marker and multiprocessing.parent_process() is not None:
            try:
                with open(marker, "x"):
                    pass
            except FileExistsError:
                pass
            else:
                os._exit(17)
        return super().select_agent(contact, view)
