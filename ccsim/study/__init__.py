"""Studies: replications of a scenario on any executor (durably), paired comparisons of
policies, what-if variants, sweeps and experiment files."""

from .._compat import moved_names

__getattr__ = moved_names(__name__, {"is_study": "ccsim.study.study_file",
                                     "load_study": "ccsim.study.study_file",
                                     "run_study": "ccsim.study.study_file"})
