"""`python -m devsecrets pth` prints the autoload .pth; `install-autoload [DIR]` writes it (default: user site-packages).

Rule: the .pth does nothing unless DEVSECRETS_AUTOLOAD is set to a value other than 0|false|no|off (true: 1|true|yes|on;
anything else is said once and ignored, by devsecrets._autoload).
"""

import os
import site
import sys

PTH_NAME = "devsecrets-autoload.pth"


def pth_text():
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    # a .pth line that is a folder puts it on sys.path; a line starting with `import` is executed. Unset and the false
    # words stop here, so an interpreter without autoload never imports the package
    return (
        "%s\n" % package_parent
        + "import os; os.environ.get('DEVSECRETS_AUTOLOAD', '') not in ('', '0', 'false', 'no', 'off')"
        " and __import__('devsecrets._autoload')\n"
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
