"""Planning: multi-group staffing and shift scheduling by simulation."""
