"""Measurement: observers that summarise a replication as it runs, the statistics they keep,
the KPIs recomputed from those sums, results with confidence intervals over replications, and
the optional per-contact event logs. Nothing here imports the engine or a routing policy."""
