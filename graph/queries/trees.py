"""Representative nested reads (:mod:`graph.tree`), registered so that the Cypher lint and
the statement tests check every construct a tree uses on both engines.

The GraphQL layer composes trees per query shape at run time from the same parts;
these cover each form a level takes: a root page (with and without a cursor) and a
root node by key; to-many pages that are leaves (one comprehension) and that have
branches of their own (UNWIND and collect back), with and without a cursor; to-one
fields that are leaves and that have branches; the row scopes of a region, of a
director's care and of a break-the-glass grant.
"""

from __future__ import annotations

from graph.queries.catalog import CATALOG
from graph.statements import statement
from graph.tree import Branch, Level, Tree, tree_statement

_REGION = frozenset({"scopeOne"})
#: A director's row scope: the children paired with them (and what concerns those).
_CARE = frozenset({"f_careOf_value"})

#: A town's villages with their directors and facilities (bench query b).
TOWN_VILLAGES = Tree(
    Level(
        "Town",
        frozenset({"f_code_eq", "scopeOne"}),
        frozenset({"name"}),
        (
            Branch(
                "villages",
                "Town.villages",
                Level(
                    "Village",
                    _REGION,
                    frozenset({"name"}),
                    (
                        Branch(
                            "directors",
                            "Village.directors",
                            Level("Director", _REGION, frozenset({"name"})),
                            sort="name",
                        ),
                        Branch(
                            "facilities",
                            "Village.facilities",
                            Level("Facility", _REGION, frozenset({"name"})),
                            sort="name",
                            total=True,
                        ),
                    ),
                ),
                sort="code",
                total=True,
            ),
        ),
    ),
    sort="code",
)

#: One child by key, the village (with its town) and the last visits after a cursor.
CHILD_FILE = Tree(
    Level(
        "Child",
        frozenset({"scope", "granted"}),
        frozenset({"id", "name", "idNumber"}),
        (
            Branch(
                "village",
                "Child.village",
                Level(
                    "Village",
                    frozenset({"scope"}),
                    frozenset({"name"}),
                    (Branch("town", "Village.town", Level("Town", frozenset({"scope"}))),),
                ),
            ),
            Branch(
                "visits",
                "Child.visits",
                Level("Visit", frozenset({"scope"}), frozenset({"id", "startedAt", "findings"})),
                sort="startedAt",
                direction="desc",
                cursor=True,
                total=True,
            ),
        ),
    ),
    by_key=True,
)

#: A director's paired children (their care scope) with each one's last visit.
DIRECTOR_CHILDREN = Tree(
    Level(
        "Director",
        _REGION,
        frozenset({"name"}),
        (
            Branch(
                "children",
                "Director.children",
                Level(
                    "Child",
                    _CARE,
                    frozenset({"id", "primaryCategory"}),
                    (
                        Branch(
                            "visits",
                            "Child.visits",
                            Level("Visit", _CARE, frozenset({"startedAt"})),
                            sort="startedAt",
                            direction="desc",
                        ),
                    ),
                ),
                sort="enrolledDate",
                cursor=True,
            ),
        ),
    ),
    by_key=True,
)

#: A page of visits after a cursor, each with its child (and the child's village).
VISIT_PAGE = Tree(
    Level(
        "Visit",
        frozenset({"scopeOne", "region"}),
        frozenset({"id", "startedAt"}),
        (
            Branch(
                "child",
                "Visit.child",
                Level(
                    "Child",
                    _REGION,
                    frozenset({"id", "name"}),
                    (Branch("village", "Child.village", Level("Village", _REGION)),),
                ),
            ),
            Branch("director", "Visit.director", Level("Director", _REGION, frozenset({"name"}))),
        ),
    ),
    sort="startedAt",
    direction="desc",
    cursor=True,
)

for _name, _tree in (
    ("town_villages", TOWN_VILLAGES),
    ("child_file", CHILD_FILE),
    ("director_children", DIRECTOR_CHILDREN),
    ("visit_page", VISIT_PAGE),
):
    _stmt = tree_statement(CATALOG, _tree)
    statement(f"trees.{_name}", _stmt.text, _stmt.mode, params=_stmt.params, sample=_stmt.sample)
