"""gunicorn's entry module: gevent patches the standard library before anything else is imported.

Flask-SocketIO's deployment guide: one gevent worker per process (`gunicorn -k gevent -w 1`).
"""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402

os.environ.setdefault("SOCKETIO_ASYNC_MODE", "gevent")

from contest import create_app  # noqa: E402

app = create_app()
