"""ccsim — discrete-event simulation of omnichannel contact centers.

```python
import ccsim
scenario = ccsim.load_scenario("scenarios/erlang_c.yaml")
results = ccsim.simulate(scenario, replications=20, seed=1, jobs=2)
results.summary()["overall"]["service_level"]   # {"mean": ..., "ci95": ...}
results.frame("intervals")                        # a tidy DataFrame (ccsim[pandas])
```

See docs/python-api.md.
"""

__version__ = "0.1.0"

from . import _compat  # noqa: E402

_compat.install()  # old module paths (ccsim.stats, ccsim.staff, ...) keep working, with a warning

from .study.experiment import simulate  # noqa: E402
from .measure.results import Results  # noqa: E402
from .routing import REGISTRY as ROUTERS, Router, register  # noqa: E402
from .scenario import (Scenario, ScenarioError, evolve, load_scenario,  # noqa: E402
                       scenario_from_dict, scenario_from_text)
from .study.whatif import scaled, with_headcount  # noqa: E402
from . import theory  # noqa: E402
from .workforce.plan import plan  # noqa: E402

__all__ = ["load_scenario", "scenario_from_text", "scenario_from_dict", "simulate", "evolve",
           "scaled", "with_headcount", "plan", "Scenario", "ScenarioError",
           "Results", "Router", "register", "ROUTERS", "theory", "__version__"]
