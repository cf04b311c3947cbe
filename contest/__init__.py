"""HoiThi: study contests on Directive 05-CT/TW, on stage and online."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template, session
from flask_babel import format_datetime, format_decimal
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, generate_csrf

from contest.config import load_config
from contest.extensions import babel, csrf, db, limiter, login_manager, migrate, socketio

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(load_config(app.instance_path))
    if test_config:
        app.config.update(test_config)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def select_locale() -> str:
    """The visitor's chosen language, else the default (Vietnamese), also outside requests."""
    from flask import current_app, has_request_context

    chosen = session.get("lang") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None  # the login page says enough
    login_manager.session_protection = "basic"
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "translations"),
    )
    limiter.init_app(app)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
        # One client's events are handled in the order it sent them: a host pressing "start the
        # part" then "show the question" must never have the question tried first.
        async_handlers=False,
    )


def register_blueprints(app: Flask) -> None:
    import live.audience_events  # noqa: F401 - audience votes and the live tally on /live
    import live.audience_routes  # noqa: F401 - the audience's phone page and the poll QR code
    import live.console_routes  # noqa: F401 - the host console
    import live.events  # noqa: F401 - the stage's Socket.IO namespace /live
    import live.models  # noqa: F401 - stage contests (tables known to migrations and tests)
    import live.player_routes  # noqa: F401 - Rung chuông vàng's phones; the final's console data
    import live.result_routes  # noqa: F401 - result sheet, XLSX, event log
    import live.screen_routes  # noqa: F401 - joining with a code, pads, projector, scoreboard
    import live.setup_routes  # noqa: F401 - organisers' setup of stage contests
    import online.admin_routes  # noqa: F401 - organisers' pages for online contests
    import online.api  # noqa: F401 - participants' JSON API for taking a round
    import online.board_routes  # noqa: F401 - leaderboards, prizes, statistics
    import online.models  # noqa: F401 - online contests (tables known to migrations and tests)
    import online.practice_routes  # noqa: F401 - practice ("Ôn tập") for anyone
    import online.public_routes  # noqa: F401 - contest page, registration, personal page
    import online.taking_routes  # noqa: F401 - the page a participant answers on
    import questions.duplicate_routes  # noqa: F401 - adds the report to the bank's blueprint
    import questions.paper_routes  # noqa: F401 - printable test papers
    import questions.transfer_routes  # noqa: F401 - import and export pages
    from contest import accounts, main, themes, units
    from contest.openapi import bp as api_docs_bp
    from live import blueprints as live_blueprints
    from online import blueprints as online_blueprints
    from questions.api import bp as questions_api_bp
    from questions.routes import bp as questions_bp

    for module in (main, accounts, units, themes):
        app.register_blueprint(module.bp)
    app.register_blueprint(questions_bp)
    app.register_blueprint(questions_api_bp)
    app.register_blueprint(api_docs_bp)
    app.register_blueprint(online_blueprints.admin)
    app.register_blueprint(online_blueprints.public)
    app.register_blueprint(online_blueprints.api)
    app.register_blueprint(live_blueprints.admin)
    app.register_blueprint(live_blueprints.screens)


def register_errorhandlers(app: Flask) -> None:
    def page(status: int, title: str, message: str):
        return render_template("error.html", status=status, title=title, message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        return page(
            400,
            _("The form has expired"),
            _("The page was open too long or came from elsewhere. Reload it and try again."),
        )

    @app.errorhandler(403)
    def forbidden(_exc):
        return page(403, _("Not allowed"), _("Your account has no role that may open this page."))

    @app.errorhandler(404)
    def not_found(_exc):
        return page(404, _("Not found"), _("There is no such page."))

    @app.errorhandler(413)
    def too_large(_exc):
        limit = (app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
        message = _("The file is larger than %(mb)d MB, the most this server accepts.", mb=limit)
        return page(413, _("File too large"), message)

    @app.errorhandler(429)
    def too_many(_exc):
        return page(
            429,
            _("Too many attempts"),
            _("Too many attempts in a short time. Wait a few minutes and try again."),
        )

    @app.errorhandler(500)
    def server_error(_exc):
        db.session.rollback()
        return page(500, _("Something went wrong"), _("The error is logged. Try again."))


def register_template_helpers(app: Flask) -> None:
    from contest.accounts.roles import Role
    from questions.models import Level, QuestionType, Status

    @app.template_filter("local_time")
    def local_time(value, fmt="dd/MM/yyyy HH:mm"):
        """UTC from the database, shown in Vietnam time (or the configured zone)."""
        return format_datetime(value, fmt) if value else ""

    @app.context_processor
    def globals_for_templates():
        return {
            "Role": Role,
            # Numbers the Vietnamese way in Vietnamese (2.594; 99,7), the English way in English.
            "number": format_decimal,
            "QuestionType": QuestionType,
            "Level": Level,
            "QuestionStatus": Status,
            "current_locale": select_locale(),
            "csrf_token": generate_csrf,
        }


def register_commands(app: Flask) -> None:
    from contest.accounts.cli import users_cli
    from contest.demo import demo_command
    from online.cli import online_cli
    from questions.cli import questions_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(questions_cli)
    app.cli.add_command(online_cli)
    app.cli.add_command(demo_command)
