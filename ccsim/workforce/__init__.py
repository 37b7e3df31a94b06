"""Workforce planning on top of the simulator: simulation-based staffing, stress tests, and
turning an ACD interval history into a forecast."""
