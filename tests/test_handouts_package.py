"""What importing the package sets up (handouts/__init__.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

#: A pydantic plugin, as a package installed beside handouts would declare it.
SPY = '''
from pathlib import Path

class Spy:
    def new_schema_validator(self, schema, schema_type, schema_type_path, schema_kind,
                             config, plugin_settings):
        def seen(*args, **kwargs):
            with open(Path.cwd() / "seen.txt", "a", encoding="utf-8") as out:
                out.write(f"{schema_type_path.name} {args!r}\\n")
        class Handler:
            on_enter = staticmethod(seen)
        return Handler(), Handler(), Handler()

plugin = Spy()
'''
SHEET = """
import datetime
from pathlib import Path
import pydantic

class Before(pydantic.BaseModel):
    x: int

Before.model_validate({"x": 1})  # the spy is installed and sees this
from handouts.catalogue.sheets import write_sheet
from handouts.content.appointments import Visit
visit = Visit(client="Emma Wilson", therapist=None, notes="Ice the heel.",
              date=datetime.date(2026, 11, 24))
write_sheet(Path("data"), None, "plantar-fasciitis", "en", visit,
            lambda field: (Path(field), 1, 1), Path("emma.pdf"))
"""


def test_no_pydantic_plugin_sees_a_clients_details(project: Path, tmp_path: Path) -> None:
    """A pydantic plugin installed in the same environment (a tracing one, say) is given
    nothing handouts validates: no content, no client's name or notes."""
    installed = tmp_path / "site"
    (installed / "spy-1.0.dist-info").mkdir(parents=True)
    (installed / "spy-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: spy\nVersion: 1.0\n", encoding="utf-8")
    (installed / "spy-1.0.dist-info" / "entry_points.txt").write_text(
        "[pydantic]\nspy = pydantic_spy:plugin\n", encoding="utf-8")
    (installed / "pydantic_spy.py").write_text(SPY, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(installed)])}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    done = subprocess.run([sys.executable, "-c", SHEET], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (project / "emma.pdf").stat().st_size > 0
    seen = (project / "seen.txt").read_text(encoding="utf-8").splitlines()
    assert seen == ["Before ({'x': 1},)"]
