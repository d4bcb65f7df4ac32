import sys

from gongbao.cli import main

sys.exit(main())
