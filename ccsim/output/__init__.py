"""What people read: terminal tables, charts, the HTML report, animations and the files of a
run."""

from .._compat import moved_names

__getattr__ = moved_names(__name__, {"write_atomic": "ccsim.files", "write_figure": "ccsim.files",
                                     "run_metadata": "ccsim.output.run_files",
                                     "write_results": "ccsim.output.run_files"})
