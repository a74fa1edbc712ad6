"""`python -m devsecrets pth` prints the autoload .pth; `install-autoload [DIR]` writes it (default: user site-packages).

Rule: the .pth does nothing unless DEVSECRETS_AUTOLOAD is set to a value other than 0|false|no|off (true: 1|true|yes|on;
anything else is said once and ignored, by devsecrets._autoload).
"""

import os
import site
import sys

PTH_NAME = "devsecrets-autoload.pth"


# run by the .pth when autoload is on: a package that cannot even be imported (moved, half-installed, broken) is one
# line and exit 1 too, never site.py's "Error processing line" and a traceback. Once per interpreter: a venv whose
# lib64 links to lib reads the .pth twice, and a failed import is tried again.
_PTH_IMPORT = (
    "import sys\n"
    "if not hasattr(sys, '_devsecrets_autoload'):\n"
    " sys._devsecrets_autoload = 1\n"
    " try:\n  import devsecrets._autoload\n"
    " except BaseException as e:\n"
    "  o = os.environ.get('DEVSECRETS_OPTIONAL', '').strip().lower() in ('1', 'true', 'yes', 'on')\n"
    "  sys.stderr.write('devsecrets: error DS_INTERNAL: the Python autoload could not import devsecrets (%s)"
    " (hint: reinstall the devsecrets package, or unset DEVSECRETS_AUTOLOAD)%s\\n' % (type(e).__name__,"
    " '; continuing without the project\\'s variables (DEVSECRETS_OPTIONAL=1)' if o else ''))\n"
    "  sys.stderr.flush()\n"
    "  o or os._exit(1)\n"
)


def pth_text():
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    # a .pth line that is a folder puts it on sys.path; a line starting with `import` is executed. Unset and the false
    # words stop here, so an interpreter without autoload never imports the package
    return (
        "%s\n" % package_parent
        + "import os; os.environ.get('DEVSECRETS_AUTOLOAD', '') not in ('', '0', 'false', 'no', 'off')"
        " and exec(%r)\n" % _PTH_IMPORT
    )


def main(argv):
    if argv[:1] == ["pth"]:
        sys.stdout.write(pth_text())
        return 0
    if argv[:1] == ["install-autoload"]:
        target = argv[1] if len(argv) > 1 else site.getusersitepackages()
        os.makedirs(target, exist_ok=True)
        path = os.path.join(target, PTH_NAME)
        with open(path, "w") as handle:
            handle.write(pth_text())
        sys.stderr.write("devsecrets: wrote %s (active when DEVSECRETS_AUTOLOAD=1, true, yes or on)\n" % path)
        return 0
    sys.stderr.write("usage: python -m devsecrets pth | install-autoload [SITE_PACKAGES_DIR]\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
