from contest.themes import bp


@bp.get("/themes")
def theme_list():
    return "themes"
