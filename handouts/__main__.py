"""The `handouts` command's process, for `python -m handouts` and the installed script.

Its garbage collector runs every 200,000 allocations instead of 700 (as mypy's command does),
set before anything else is imported: a command lives a second or two and most of what it
makes (modules, the library, fonts) lives as long as it does, so collecting every few hundred
objects walked them again and again (2.5 % of a single sheet's instructions, counted by
valgrind). Memory held by unreachable cycles meanwhile: up to 20 MB more for one sheet, 30
for a batch, in a process that soon ends. Set here, not in the package, so that a program
importing handouts keeps its own collector.
"""

import gc

gc.set_threshold(200_000, 30, 30)

from handouts.cli import main  # noqa: E402 - once the collector is set, as said above

if __name__ == "__main__":
    main()
