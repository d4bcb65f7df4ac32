"""The web site and HTTP API over the archive: ``create_app(data_dir)`` in :mod:`gongbao.web.app`."""
