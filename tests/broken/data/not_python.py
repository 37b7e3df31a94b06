interval_start,agents
07:00,4
