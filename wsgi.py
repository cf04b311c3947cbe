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
# And full collections a hundred times rarer than Python's default (after 1,000 middle-generation
# collections, not 10): with 5,000 connections and their attempts' save plans each one stopped
# the worker for 50-90 ms. At 500 saves/s from 5,000 participants this took p99 from 165 to 39 ms.
gc.set_threshold(700, 10, 1000)
