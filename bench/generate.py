"""Deterministic data at scale for the benchmark (and for anyone who wants to try coord big).

``generate(path, scale)`` makes a coord store with seeded random data, written
with bulk statements. The reference scale is the one the issues name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Scale:
    stakeholders: int
    projects: int
    duties: int
    assignments: int
    agreements: int


SCALES = {
    "reference": Scale(stakeholders=2000, projects=200, duties=10_000, assignments=100_000, agreements=1000),
    "small": Scale(stakeholders=60, projects=4, duties=120, assignments=1200, agreements=12),
}
CATEGORIES = ("markets", "courses", "teaching", "heritage", "venues", "reporting", "volunteers", "funding")


def generate(path: Path, scale: Scale, seed: int = 2024) -> Path:
    """Write a new store in the folder ``path`` and return its coord.db."""
    from sqlalchemy import insert

    from coordkit.models import Assignment, Contact, Duty, Project, Representative, Role, RoleHolder, Stakeholder
    from coordkit.services.stakeholders import KINDS
    from coordkit.storage import events
    from coordkit.storage.engine import open_store
    from coordkit.storage.location import from_path

    path.mkdir(parents=True, exist_ok=True)
    location = from_path(path / "coord.db", "bench")
    assert location.path is not None
    if location.path.exists():
        raise SystemExit(f"{location.path} exists; remove it first")
    rng = random.Random(seed)
    store = open_store(location, create=True)
    stakeholders = [
        {
            "id": i + 1,
            "key": f"org-{i:05d}",
            "name": f"Organisation {i}",
            "name_zh": f"组织{i}",
            "kind": KINDS[i % len(KINDS)],
            "influence": rng.randint(1, 5),
            "interest": rng.randint(1, 5),
            "interests": "venues; funding; volunteers",
            "active": True,
        }
        for i in range(scale.stakeholders)
    ]
    contacts = [
        {"stakeholder_id": s["id"], "channel": "phone", "value": f"020-{s['id']:08d}", "position": 0}
        for s in stakeholders
        if s["id"] % 10  # every tenth party has no way to be reached
    ]
    reps = [
        {"stakeholder_id": s["id"], "name": f"Rep {s['id']}", "title": "Director", "position": 0} for s in stakeholders
    ]
    projects, roles, holders, duties, assignments = [], [], [], [], []
    per_project = max(scale.duties // scale.projects, 1)
    per_duty = max(scale.assignments // scale.duties, 1)
    role_id = 0
    for p in range(scale.projects):
        start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
        projects.append(
            {
                "id": p + 1,
                "key": f"project-{p:04d}",
                "name": f"Project {p}",
                "name_zh": f"项目{p}",
                "starts_on": start,
                "ends_on": start + dt.timedelta(days=730),
                "lead_id": rng.randint(1, scale.stakeholders),
            }
        )
        members = rng.sample(range(1, scale.stakeholders + 1), min(30, scale.stakeholders))
        project_roles = []
        for r in range(5):
            role_id += 1
            project_roles.append(role_id)
            roles.append(
                {"id": role_id, "project_id": p + 1, "key": f"role-{r}", "name": f"Role {r}", "description": None}
            )
            for holder in rng.sample(members, 2):
                holders.append({"role_id": role_id, "stakeholder_id": holder, "valid_from": None, "valid_to": None})
        for d in range(per_project):
            duty_id = len(duties) + 1
            duties.append(
                {
                    "id": duty_id,
                    "project_id": p + 1,
                    "key": f"duty-{d:04d}",
                    "title": f"Duty {d} of {p}",
                    "title_zh": None,
                    "category": CATEGORIES[d % len(CATEGORIES)],
                    "due_on": None,
                }
            )
            roll = rng.random()
            letters = ["A", "R"] if roll > 0.1 else (["R"] if roll > 0.05 else ["A", "A", "R"])
            letters += rng.choices("RCI", k=per_duty - len(letters))
            parties = rng.sample(members, len(letters))
            for letter, party in zip(letters, parties, strict=True):
                through_role = rng.random() < 0.1
                windowed = rng.random() < 0.2
                assignments.append(
                    {
                        "duty_id": duty_id,
                        "stakeholder_id": None if through_role else party,
                        "role_id": rng.choice(project_roles) if through_role else None,
                        "letter": letter,
                        "valid_from": start if windowed else None,
                        "valid_to": start + dt.timedelta(days=rng.randint(30, 700)) if windowed else None,
                        "source": "manual",
                        "agreement_key": None,
                        "agreement_version": None,
                    }
                )
    with store.write() as session:
        conn = session.connection()
        for model, rows in (
            (Stakeholder, stakeholders),
            (Contact, contacts),
            (Representative, reps),
            (Project, projects),
            (Role, roles),
            (RoleHolder, holders),
            (Duty, duties),
            (Assignment, assignments),
        ):
            for chunk in range(0, len(rows), 20_000):
                conn.execute(insert(model), rows[chunk : chunk + 20_000])
        events.record(
            conn,
            action="bench.generate",
            entity="store",
            key=str(location.path),
            after={"seed": seed, **scale.__dict__},
        )
    store.dispose()
    return location.path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--scale", choices=sorted(SCALES), default="reference")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    print(generate(args.path, SCALES[args.scale], args.seed))


if __name__ == "__main__":
    main()
