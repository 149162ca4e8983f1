"""One county's part of the data set: the generators, in the order they depend on each other."""

from __future__ import annotations

from hub.demo.accounts import build_accounts
from hub.demo.assessment import build_assessments
from hub.demo.care import build_children
from hub.demo.context import County
from hub.demo.divisions import CountyDivision
from hub.demo.feedback import build_feedback
from hub.demo.oncall import build_oncall
from hub.demo.oversight import build_oversight
from hub.demo.people import build_directors, build_supervisors
from hub.demo.places import build_places
from hub.demo.regions import build_regions
from hub.demo.rows import DemoPart
from hub.demo.services import build_services
from hub.demo.teams import build_teams
from hub.demo.training import build_training
from hub.demo.visits import build_visits


def build_county(seed: int, division: CountyDivision, care_density: float = 1.0) -> DemoPart:
    """Generate every row of one county from ``(seed, county code, care density)`` alone."""
    county = County.start(seed, division, care_density)
    build_regions(county)
    build_places(county)
    build_directors(county)
    build_supervisors(county)
    build_teams(county)  # before services: they are delivered by team members
    build_training(county)  # before assessments: exam results
    build_children(county)
    build_visits(county)
    build_services(county)
    build_oversight(county)  # findings name the least diligent directors
    build_feedback(county)
    build_accounts(county)  # last: names people generated above
    build_oncall(county)  # after all others: its phone numbers take no one else's draws
    # Computed by the hub's engine from the rows above (visits, services, reports, exams,
    # the ledger); it draws nothing, so its place changes no other row.
    build_assessments(county)
    return county.builder.build()
