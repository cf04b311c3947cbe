"""gunicorn's entry module: gevent patches the standard library before anything else is imported.

Flask-SocketIO's deployment guide: one gevent worker per process (`gunicorn -k gevent -w 1`).
"""

from gevent import monkey

monkey.patch_all()

import gc  # noqa: E402
import os  # noqa: E402

os.environ.setdefault("SOCKETIO_ASYNC_MODE", "gevent")

from contest import create_app  # noqa: E402

app = create_app()

# The app's own objects (150,000 and more once built) live as long as the process: moving them
# out of the collector's sight keeps full collections short when thousands of phones are
# connected (bench/RESULTS.md, "Live fan-out").
gc.freeze()
