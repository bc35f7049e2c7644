import sys

from dossier.dependencies import require_packages
from dossier.errors import DossierError

try:
    require_packages()  # python -m dossier may run from a Python without the dependencies
except DossierError as err:
    print(err, file=sys.stderr)
    sys.exit(err.exit_code)

from dossier.cli import main  # noqa: E402  (only once the packages it needs are known to be there)

sys.exit(main())
