#!/usr/bin/env python3
"""Writes territory-zones.json: the eastern-most time zone of each territory.

Amazon's Content rights page: "content is published at the start of the day
in the eastern-most time zone of the territory indicated (e.g., at 12:01 a.m.
Eastern time in the US)". For each ISO 3166-1 code in the IANA tz database's
zone.tab, the eastern-most zone is the one whose day starts first: the
greatest UTC offset, compared every day of a year (zones under Antarctica/
are left out outside AQ: research stations, not audiences). When no zone is
ahead of or level with every other on every day, the one ahead on most days
is taken and the territory is listed under "not_dominant".

EMA's extra codes: ZZ (worldwide) starts first in Pacific/Kiritimati (UTC+14);
EU in its eastern-most members' zone (Europe/Helsinki, as Athens, Sofia,
Bucharest, Nicosia); 419 (Latin America and the Caribbean) in the zone of
its eastern-most member (Brazil's).

Run with the system's tz database (Python's zoneinfo):
    python3 schemas/codes/territory-zones.py /usr/share/zoneinfo/zone.tab
"""

import datetime
import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

YEAR = 2026


def offsets(zone):
    tz = ZoneInfo(zone)
    day = datetime.datetime(YEAR, 1, 1, 12, tzinfo=datetime.timezone.utc)
    return [
        (day + datetime.timedelta(days=d)).astimezone(tz).utcoffset()
        for d in range(365)
    ]


def main(zone_tab):
    by_country = {}
    for line in Path(zone_tab).read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _, zone, *_ = line.split("\t")
        if code != "AQ" and zone.startswith("Antarctica/"):
            continue
        by_country.setdefault(code, []).append(zone)
    zones, not_dominant = {}, []
    for code, candidates in sorted(by_country.items()):
        table = {z: offsets(z) for z in candidates}
        days = range(365)
        best = max(candidates, key=lambda z: sum(
            table[z][d] == max(table[c][d] for c in candidates) for d in days))
        if any(table[best][d] < max(table[c][d] for c in candidates) for d in days):
            not_dominant.append(code)
        zones[code] = best
    extras = {"ZZ": "Pacific/Kiritimati", "EU": "Europe/Helsinki", "419": zones["BR"]}
    zones.update(extras)
    version = Path(zone_tab).with_name("tzdata.zi").read_text().splitlines()[0]
    out = {
        "description": "The eastern-most time zone of each territory: the zone whose day starts first "
        "(greatest UTC offset), in which Amazon publishes a date (Content rights page). "
        "Written by territory-zones.py; see its docstring for the rule.",
        "source": f"IANA tz database zone.tab ({version.lstrip('# ').strip()}), offsets compared every day of {YEAR}",
        "not_dominant": not_dominant,
        "zones": zones,
    }
    dest = Path(__file__).with_name("territory-zones.json")
    dest.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/zoneinfo/zone.tab")
