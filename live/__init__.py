"""Live stage contests for teams: host console, projector, team pads, judges' pads, scoreboard.

The show's state is folded from an append-only event log by the pure `engine` (with `rules`
and `standings`); `views` builds what each role may see; `service` appends events and keeps the
folded state per contest; `events` is the Socket.IO side and the `*_routes` modules the pages.
"""
