"""Night service: a route with a schedule sends its calls to its night target outside
office hours and on holidays (firmware/pbx/schedule.py). A schedule's mode forces day
or night (the "night switch" a receptionist flips), or leaves it to the hours ("auto");
it is a setting, so it survives a restart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from firmware.log import get_logger
from firmware.pbx.config import PbxConfig, Route, Schedule
from firmware.pbx.legs import PbxError
from firmware.pbx.schedule import MODES, is_day

if TYPE_CHECKING:
    from firmware.pbx.switch import Switch

log = get_logger("pbx")


class NightService:
    """Mixed into the Switch."""

    def is_day(self: Switch, schedule: Schedule) -> bool:
        if schedule.mode != "auto":
            return schedule.mode == "day"
        return is_day(schedule.slots, schedule.holidays, schedule.timezone, self.clock.wall())

    def route_target(self: Switch, route: Route) -> tuple[str, bool]:
        """Where a call for ``route`` goes now, and whether that is the night target."""
        schedule = self.config.schedule(route.schedule) if route.schedule else None
        if schedule is None or self.is_day(schedule):
            return route.target, False
        return route.night_target, True

    def set_schedule_mode(self: Switch, name: str, mode: str) -> Schedule:
        if mode not in MODES:
            raise PbxError(f"mode: one of {', '.join(MODES)}")
        if self.config.schedule(name) is None:
            known = ", ".join(s.name for s in self.config.schedules) or "none"
            raise PbxError(f"no schedule {name!r} (schedules: {known})")
        doc = self.config.to_doc()
        for item in doc["schedules"]:
            if item["name"] == name:
                item["mode"] = mode
        config = PbxConfig.from_doc(doc, ports=tuple(self.lines))
        self.reconfigure(config)
        if self.save_config is not None:
            self.save_config(config)
        log.info("schedule_mode", schedule=name, mode=mode)
        if self.events is not None:
            self.events.publish("pbx.schedule", schedule=name, mode=mode)
        return config.schedule(name)

    def schedules_status(self: Switch) -> list[dict[str, Any]]:
        return [{"name": s.name, "mode": s.mode, "now": "day" if self.is_day(s) else "night",
                 "timezone": s.timezone,
                 "routes": [r.number for r in self.config.routes if r.schedule == s.name]}
                for s in self.config.schedules]
