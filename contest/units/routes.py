from contest.units import bp


@bp.get("/units")
def tree():
    return "units"
