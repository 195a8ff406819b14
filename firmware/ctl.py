"""ringback-ctl: talk to the running daemon through its control API.

    python -m firmware.ctl status          what the box is doing
    python -m firmware.ctl ports           layer-1 state and counters of every port
    python -m firmware.ctl calls           PBX calls: who is connected to whom
    python -m firmware.ctl channels        calls on each line and their Q.931 states
    python -m firmware.ctl dial FROM TO    FROM an extension (it rings first, then TO is
                                           dialled) or a line (a bare call, e.g. trunk)
    python -m firmware.ctl alert CHANNEL   ring back to the caller of an offered call
    python -m firmware.ctl answer CHANNEL  answer an offered call
    python -m firmware.ctl reject CHANNEL [CAUSE]  refuse an offered call
    python -m firmware.ctl hangup CALL [CAUSE]     clear a PBX call (cN) or a channel
    python -m firmware.ctl transfer CALL TARGET [--return-after S] [--by EXT]
                                           blind transfer of a call (cN) to TARGET
    python -m firmware.ctl transfer CALL --to CALL2 [--by EXT]  attended: join the
                                           parties of two calls of one extension
    python -m firmware.ctl hold CALL [--by EXT]     the extension's party goes on hold
    python -m firmware.ctl retrieve CALL [--by EXT] and comes back (CALL: cN, or
                                           PORT:ID of a TE line for DSS1 HOLD/RETRIEVE)
    python -m firmware.ctl conference CALL CALL2 [--by EXT]  three-party conference of
                                           an extension's two calls
    python -m firmware.ctl night [SCHEDULE day|night|auto]  night service: show the
                                           schedules, or force one to day or night
    python -m firmware.ctl dnd EXT [on|off]        do not disturb: set or show it
    python -m firmware.ctl sim-call FROM TO        a simulated PSTN subscriber calls the box
    python -m firmware.ctl phone 23 offhook|onhook|flash|dial N|hears   an analog phone
    python -m firmware.ctl phone PHONE ACTION [NUMBER]  answer/dial/digits/hangup/hold/
                                           retrieve/transfer/dtmf KEYS/heard at a
                                           simulated phone (PHONE: its MSN, e.g. 21)
    python -m firmware.ctl subscriber NUMBER dtmf KEYS|heard|hangup  a simulated PSTN
                                           subscriber in a call: press keys, or show
                                           the DTMF it heard
    python -m firmware.ctl media                   the media engine: slots, ticks, calls
    python -m firmware.ctl cdr [--number N] [--csv]  call detail records, newest first
    python -m firmware.ctl voicemail EXT [--heard ID | --delete ID]  a mailbox's messages
    python -m firmware.ctl record CALL start|stop  record a call (stereo WAV)
    python -m firmware.ctl recordings              call recordings, size and length
    python -m firmware.ctl callback LINK NUMBER [--when 2m|5m|ISO-TIME]  file a callback
                                           request as the web form does
    python -m firmware.ctl callbacks [--open]      callback requests and their states
    python -m firmware.ctl outbox          emails and SMS waiting to go out (notify.config
                                           and notify.configure set SMTP and the modem)
    python -m firmware.ctl events          follow events live (Ctrl-C stops)
    python -m firmware.ctl call CMD [JSON] any API command, raw (see `call help`)

Exit codes: 0 done, 1 the daemon answered with an error, 2 bad usage,
3 the daemon could not be reached.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from firmware.api.client import UNREACHABLE, ApiClient
from firmware.api.protocol import ApiError


def _duration(seconds: float) -> str:
    s = int(seconds)
    days, s = divmod(s, 86400)
    text = f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{days}d {text}" if days else text


def _table(rows: list[list[Any]]) -> str:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True))
                     .rstrip() for row in rows)


def l2_summary(l2: dict[str, Any] | None) -> str:
    """Data links in a few words: 'tei 64 established', 'tei 64,65 established'."""
    if not l2 or not l2.get("links"):
        return "-"
    by_state: dict[str, list[str]] = {}
    for link in l2["links"]:
        state = "established" if link["state"] == "MULTIPLE_FRAME_ESTABLISHED" \
            else link["state"].lower().replace("_", " ")
        by_state.setdefault(state, []).append("-" if link["tei"] is None else str(link["tei"]))
    return "; ".join(f"tei {','.join(teis)} {state}" for state, teis in by_state.items())


def l3_summary(calls: list[dict[str, Any]] | None) -> str:
    """A line's calls by their Q.931 state: 'idle', 'B1 U10 ACTIVE; B2 U7 CALL_RECEIVED'."""
    if calls is None:
        return "-"
    if not calls:
        return "idle"
    return "; ".join(f"B{c['channel']} {c['state']}" if c.get("channel") else c["state"]
                     for c in sorted(calls, key=lambda c: (c.get("channel") or 9, c["call"])))


def _ports_table(ports: list[dict[str, Any]]) -> str:
    rows = [["PORT", "ROLE", "MODE", "BACKEND", "L1", "L2", "L3", "B-CHANNELS", "D RX",
             "D TX"]]
    for p in ports:
        b = ",".join(f"B{ch}:{proto}" for ch, proto in p["b_channels"].items()) or "-"
        rows.append([p["name"], p["role"].upper(), p["mode"], p["backend"], p["l1"],
                     l2_summary(p.get("l2")), l3_summary(p.get("l3")), b,
                     p["counters"]["d_rx"], p["counters"]["d_tx"]])
    fxs = [f"{p['name']}: FXS {p['fxs']['hook']}-hook"
           + (", ringing" if p["fxs"]["ringing"] else "") + f", adapter {p['ta']['state']}"
           for p in ports if "fxs" in p]
    return "\n".join([_table(rows), *fxs])


def show_status(s: dict[str, Any]) -> str:
    lines = [
        f"ringbackd {s['version']} (pid {s['pid']}) on board {s['board']}, "
        f"up {_duration(s['uptime'])}, boot #{s['boots']}, country {s['country']}",
        f"store {s['store']['path']} (schema {s['store']['schema']}); "
        f"api {s['api']['socket']} ({s['api']['subscribers']} subscribers)",
        "",
        _ports_table(s["ports"]),
    ]
    if s.get("sim"):
        lines += ["", "simulated far ends:"]
        lines += [f"  {p['name']:<14} {p['kind']:<11} {p['role'].upper()}  l1 {p['l1']:<12}"
                  f" l2 {l2_summary(p.get('l2')):<18} frames seen {p['frames_seen']}"
                  for p in s["sim"]["peers"]]
        lines += [f"  {p['name']:<14} {p['kind']:<12} {p['hook']}-hook, hears {p['hears']}"
                  for p in s["sim"].get("analog_phones", [])]
    return "\n".join(lines)


def show_calls(calls: list[dict[str, Any]]) -> str:
    if not calls:
        return "no calls"
    rows = [["CALL", "STATE", "DIR", "FROM", "TO", "CHANNELS"]]
    rows += [[c["call"], c["state"] + (" (conference)" if c.get("conference") else ""),
              c["direction"], c["from"] or "-", c["to"] or "-",
              " ".join(leg["channel"] + (" (held)" if leg.get("held") else "")
                       for leg in c["legs"]) or "-"] for c in calls]
    return _table(rows)


def show_media(m: dict[str, Any]) -> str:
    clock = m["clock"]
    lines = [f"media engine: {m['open']} of {m['capacity']} slots open, "
             f"{m['tick_ms']:g} ms ticks, {clock['ticks']} ticks, {clock['slips']} slipped, "
             f"{m['events_dropped']} events dropped"]
    lines += [f"  {c['call']} leg {c['leg']} ({c['channel']}): slot {c['slot']}"
              for c in m.get("calls", [])]
    return "\n".join(lines)


def show_schedules(schedules: list[dict[str, Any]]) -> str:
    if not schedules:
        return "no schedules"
    rows = [["SCHEDULE", "MODE", "NOW", "TIME ZONE", "ROUTES"]]
    rows += [[s["name"], s["mode"], s["now"], s["timezone"], " ".join(s["routes"]) or "-"]
             for s in schedules]
    return _table(rows)


def show_cdr(page: dict[str, Any]) -> str:
    if not page["rows"]:
        return "no call records"
    rows = [["START (UTC)", "DIR", "FROM", "TO", "DISPOSITION", "SECONDS", "CAUSE"]]
    rows += [[r["start"], r["direction"], r["src"] or "-", r["dst"] or "-",
              r["disposition"], r["billsec"], r["cause"] or "-"] for r in page["rows"]]
    shown = f"{page['offset'] + 1}-{page['offset'] + len(page['rows'])} of {page['total']}"
    return _table(rows) + f"\n({shown})"


def show_voicemail(box: dict[str, Any]) -> str:
    head = f"mailbox {box['mailbox']}: {box['waiting']} new of {len(box['messages'])}"
    if box.get("greeting"):
        head += " (own greeting)"
    if not box["messages"]:
        return head
    rows = [["ID", "RECEIVED", "FROM", "SECONDS", "", "FILE"]]
    rows += [[m["id"], time.strftime("%Y-%m-%d %H:%M", time.localtime(m["received"])),
              m["caller"] or "withheld", f"{m['seconds']:.0f}", "" if m["heard"] else "new",
              m["path"]] for m in box["messages"]]
    return head + "\n" + _table(rows)


def show_outbox(box: dict[str, Any]) -> str:
    head = (f"outbox: {len(box['pending'])} waiting, {box['sent']} sent, "
            f"{box['given_up']} given up since start; channels: "
            f"{', '.join(box['channels']) or 'none configured'}")
    if not box["pending"]:
        return head
    rows = [["CHANNEL", "TO", "SUBJECT", "TRIES", "NEXT", "LAST ERROR"]]
    rows += [[n["channel"], n["to"], n["subject"][:40], str(n["attempts"]),
              time.strftime("%H:%M:%S", time.localtime(n["next_try"])),
              n["last_error"] or "-"] for n in box["pending"]]
    return head + "\n" + _table(rows)


def show_callbacks(requests: list[dict[str, Any]]) -> str:
    if not requests:
        return "no callback requests"
    rows = [["ID", "LINK", "STATE", "NUMBER", "NAME", "DUE", "REASON"]]
    rows += [[r["id"], r["link"], r["state"] + (f" #{r['position']}" if "position" in r
                                                  else ""),
              r["number"], r["name"] or "-",
              time.strftime("%H:%M:%S", time.localtime(r["due"])), r["reason"] or "-"]
             for r in requests]
    return _table(rows)


def show_analog_phone(p: dict[str, Any]) -> str:
    """fxs1.phone (23): off-hook, hears dial | on-hook, ringing 1000/4000 ms, CLIP 030..."""
    parts = [f"{p['name']} ({p['number']}): {p['hook']}-hook, hears {p['hears']}"]
    on, off = p["ring_cadence_ms"]
    if p["rings"]:
        parts.append(f"rang {p['rings']}x {on}/{off} ms")
    if p["clip"]:
        parts.append("CLIP " + " ".join(f"{k}={v}" for k, v in p["clip"].items()))
    if p["heard"]:
        parts.append(f"heard {p['heard']}")
    return ", ".join(parts)


def show_channels(calls: list[dict[str, Any]]) -> str:
    if not calls:
        return "no active channels"
    rows = [["CHANNEL", "DIR", "STATE", "B", "CALLING", "CALLED"]]
    rows += [[c["call"], "out" if c["ours"] else "in", c["state"], c["channel"] or "-",
              c["calling"] or "-", c["called"] or "-"] for c in calls]
    return _table(rows)


def show_event(e: dict[str, Any]) -> str:
    stamp = time.strftime("%H:%M:%S", time.localtime(e["time"]))
    fields = " ".join(f"{k}={v}" for k, v in e["data"].items())
    return f"{stamp} #{e['seq']} {e['topic']} {fields}".rstrip()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ringback-ctl", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("--socket", help="API socket (default: $RINGBACK_API_SOCKET, "
                                    "/run/ringback/api.sock, or make run's var/sim/run/api.sock)")
    p.add_argument("--json", action="store_true", help="print the daemon's answer as JSON")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("status", help="what the box is doing")
    sub.add_parser("ports", help="ports, layer-1 state and counters")
    sub.add_parser("calls", help="PBX calls: who is connected to whom")
    sub.add_parser("channels", help="calls on each line, with their Q.931 state")
    d = sub.add_parser("dial", help="place a call")
    d.add_argument("source", metavar="FROM",
                   help="an extension (it rings first, then TO is dialled) or a line")
    d.add_argument("target", metavar="TO", help="number to call")
    d.add_argument("--calling", help="our number to present")
    for name, text in (("alert", "ring back to the caller of an offered call"),
                       ("answer", "answer an offered call")):
        sub.add_parser(name, help=text).add_argument("call", metavar="CHANNEL",
                                                     help="PORT:ID as `channels` shows it")
    for name, text in (("reject", "refuse an offered call (default cause 21)"),
                       ("hangup", "clear a call (default cause 16)")):
        h = sub.add_parser(name, help=text)
        h.add_argument("call", metavar="CALL", help="a call (cN, see `calls`) or a "
                                                     "channel (PORT:ID, see `channels`)")
        h.add_argument("cause", metavar="CAUSE", nargs="?", type=int, help="Q.850 cause")
    tr = sub.add_parser("transfer", help="transfer a call: blind or attended")
    tr.add_argument("call", metavar="CALL", help="the call (cN) to hand on")
    tr.add_argument("target", metavar="TARGET", nargs="?", default="",
                    help="blind: the number to ring")
    tr.add_argument("--to", default="", metavar="CALL2",
                    help="attended: the consultation call to join it with")
    tr.add_argument("--by", default="", metavar="EXT", help="the transferring extension")
    tr.add_argument("--return-after", type=int, metavar="S",
                    help="ring the extension back if TARGET has not answered in S s "
                         "(0: never; default: the PBX setting)")
    for name, text in (("hold", "put the other party of an extension's call on hold"),
                       ("retrieve", "take a call held with `hold` back")):
        hd = sub.add_parser(name, help=text)
        hd.add_argument("call", metavar="CALL", help="a call (cN), or PORT:ID on a TE line")
        hd.add_argument("--by", default="", metavar="EXT", help="the holding extension")
    cf = sub.add_parser("conference", help="join an extension's two calls: three parties")
    cf.add_argument("call", metavar="CALL")
    cf.add_argument("other", metavar="CALL2")
    cf.add_argument("--by", default="", metavar="EXT", help="the extension in both calls")
    ni = sub.add_parser("night", help="night service: show or force day/night")
    ni.add_argument("schedule", metavar="SCHEDULE", nargs="?", default="")
    ni.add_argument("mode", nargs="?", default="", choices=("", "day", "night", "auto"))
    dn = sub.add_parser("dnd", help="do not disturb of an extension")
    dn.add_argument("extension", metavar="EXT")
    dn.add_argument("state", nargs="?", default="", choices=("", "on", "off"))
    sc = sub.add_parser("sim-call", help="a simulated PSTN subscriber calls the box")
    sc.add_argument("source", metavar="FROM", help="the subscriber's number")
    sc.add_argument("target", metavar="TO", help="the box's number (MSN)")
    ph = sub.add_parser("phone", help="act at a simulated phone (a person's hand)")
    ph.add_argument("name", metavar="PHONE", help="its MSN (21) or name (s0int.phone1)")
    ph.add_argument("action", choices=("answer", "dial", "digits", "hangup", "hold",
                                       "retrieve", "transfer", "dtmf", "heard",
                                       "offhook", "onhook", "flash", "hears", "status"),
                    help="analog phones: offhook, onhook, flash, dial, dtmf, heard, hears")
    ph.add_argument("number", nargs="?", default="",
                    help="for dial and digits; the keys for dtmf (sent as tones)")
    su = sub.add_parser("subscriber", help="act as a simulated PSTN subscriber in a call")
    su.add_argument("number", metavar="NUMBER", help="the subscriber's number")
    su.add_argument("action", choices=("dtmf", "heard", "hangup"))
    su.add_argument("digits", nargs="?", default="", help="the keys for dtmf")
    sub.add_parser("media", help="the media engine: slots, ticks, slips, calls' slots")
    cd = sub.add_parser("cdr", help="call detail records, newest first")
    cd.add_argument("--number", default="", help="only calls from or to this number")
    cd.add_argument("--limit", type=int, default=20)
    cd.add_argument("--offset", type=int, default=0)
    cd.add_argument("--direction", default="", help="in, out or internal")
    cd.add_argument("--disposition", default="", help="answered, missed, no-answer, busy, "
                                                      "failed")
    cd.add_argument("--since", default="", help="from this date (YYYY-MM-DD[ HH:MM])")
    cd.add_argument("--until", default="", help="to this date (a date: its whole day)")
    cd.add_argument("--timezone", default="", help="the zone of --since/--until (UTC)")
    cd.add_argument("--csv", action="store_true", help="all matching rows as Master.csv "
                                                       "columns, oldest first")
    rc = sub.add_parser("record", help="start or stop recording a call")
    rc.add_argument("call", metavar="CALL")
    rc.add_argument("action", choices=("start", "stop"))
    sub.add_parser("recordings", help="call recordings with size and length")
    vm = sub.add_parser("voicemail", help="a mailbox's messages")
    vm.add_argument("mailbox", metavar="EXT", help="the extension's number")
    act = vm.add_mutually_exclusive_group()
    act.add_argument("--heard", metavar="ID", help="mark message ID heard")
    act.add_argument("--delete", metavar="ID", help="delete message ID")
    cb = sub.add_parser("callback", help="file a callback request (as the web form does)")
    cb.add_argument("link", metavar="LINK", help="the callback link, e.g. office")
    cb.add_argument("number", metavar="NUMBER", help="the visitor's number")
    cb.add_argument("--when", default="now", help="now, 2m, 5m, Nm or an ISO time")
    cb.add_argument("--name", default="")
    cb.add_argument("--country", default="", help="the number's country if not +CC")
    cb.add_argument("--pin", default="", help="the visitor's PIN, on a prepaid link")
    cbs = sub.add_parser("callbacks", help="callback requests and their states")
    cbs.add_argument("--open", action="store_true", help="only requests not yet finished")
    sub.add_parser("outbox", help="emails and SMS waiting to go out")
    ev = sub.add_parser("events", help="follow events live")
    ev.add_argument("topics", nargs="*", help="topic prefixes (default: all), e.g. port call")
    ev.add_argument("--replay", type=int, default=20, help="recent events to show first")
    c = sub.add_parser("call", help="any API command, raw")
    c.add_argument("cmd", help="command name (`call help` lists them)")
    c.add_argument("args", nargs="?", default="{}", help="arguments as a JSON object")
    return p


def run(args: argparse.Namespace, client: ApiClient, out: Any) -> int:
    def emit(result: Any, human: str | None) -> None:
        print(json.dumps(result, indent=2) if args.json or human is None else human, file=out)

    cmd = args.command
    if cmd == "status":
        result = client.call("status")
        emit(result, show_status(result))
    elif cmd == "ports":
        result = client.call("ports")
        emit(result, _ports_table(result))
    elif cmd == "calls":
        result = client.call("calls")
        emit(result, show_calls(result))
    elif cmd == "channels":
        result = client.call("channels")
        emit(result, show_channels(result))
    elif cmd == "phone":
        result = client.call("sim.phone", name=args.name, action=args.action,
                             number=args.number)
        if args.action == "heard":
            emit(result, result["heard"])
        elif result.get("kind") == "analog-phone":
            emit(result, show_analog_phone(result))
        else:
            mwi = result.get("mwi") or {}
            emit(result, f"{result['name']} (MSN {result['msn']}): {result['state']}"
                         + (f" {result['peer']}" if result["peer"] else "")
                         + (f", message waiting: {mwi['messages']}" if mwi.get("lamp")
                            else ""))
    elif cmd == "subscriber":
        result = client.call("sim.subscriber", number=args.number, action=args.action,
                             digits=args.digits)
        emit(result, result["heard"] if args.action == "heard" else
             f"{args.number}: {args.action} done")
    elif cmd == "media":
        result = client.call("media")
        emit(result, show_media(result))
    elif cmd == "cdr":
        filters = {k: v for k in ("number", "direction", "disposition", "since", "until",
                                  "timezone") if (v := getattr(args, k))}
        if args.csv:
            cursor: int | None = 0
            while cursor is not None:
                chunk = client.call("cdr.export", cursor=cursor, **filters)
                out.write(chunk["csv"])
                cursor = chunk["next"]
            return 0
        result = client.call("cdr", limit=args.limit, offset=args.offset, **filters)
        emit(result, show_cdr(result))
    elif cmd == "outbox":
        result = client.call("outbox")
        emit(result, show_outbox(result))
    elif cmd == "voicemail":
        if args.heard or args.delete:
            result = client.call("voicemail.heard" if args.heard else "voicemail.delete",
                                 mailbox=args.mailbox, id=args.heard or args.delete)
        else:
            result = client.call("voicemail", mailbox=args.mailbox)
        emit(result, show_voicemail(result))
    elif cmd == "record":
        result = client.call(f"record.{args.action}", call=args.call)
        emit(result, f"{args.call}: {'recording' if result['recording'] else 'recorded'} "
                     f"{result['file']} ({result['seconds']} s)")
    elif cmd == "recordings":
        result = client.call("recordings")
        emit(result, "\n".join(
            f"{r['file']}  {r['seconds']} s  {r['bytes']} bytes"
            + ("  (recording)" if r["recording"] else "") for r in result)
            or "no recordings")
    elif cmd == "dial":
        extra = {"calling": args.calling} if args.calling else {}
        result = client.call("dial", **{"from": args.source, "to": args.target}, **extra)
        emit(result, f"calling {args.target}: call {result['call']}")
    elif cmd in ("alert", "answer"):
        emit(client.call(cmd, call=args.call), f"{cmd}: {args.call}")
    elif cmd in ("reject", "hangup"):
        extra = {"cause": args.cause} if args.cause is not None else {}
        emit(client.call(cmd, call=args.call, **extra), f"{cmd}: {args.call}")
    elif cmd == "transfer":
        extra = {k: v for k, v in (("target", args.target), ("to", args.to),
                                   ("by", args.by)) if v}
        if args.return_after is not None:
            extra["return_seconds"] = args.return_after
        result = client.call("transfer", call=args.call, **extra)
        emit(result, f"transferred {args.call}: now call {result['call']} "
                     f"({result['state']})")
    elif cmd in ("hold", "retrieve"):
        extra = {"by": args.by} if args.by else {}
        result = client.call(cmd, call=args.call, **extra)
        emit(result, f"{args.call}: {result['channel']} "
                     f"{'on hold' if result['held'] else 'back from hold'}")
    elif cmd == "conference":
        extra = {"by": args.by} if args.by else {}
        result = client.call("conference", call=args.call, other=args.other, **extra)
        emit(result, f"conference {result['call']}: {' '.join(result['parties'])}")
    elif cmd == "night":
        if bool(args.schedule) != bool(args.mode):
            print("ringback-ctl: night takes a schedule and a mode, or nothing",
                  file=sys.stderr)
            return 2
        if args.schedule:
            one = client.call("schedule.mode", name=args.schedule, mode=args.mode)
            emit(one, f"schedule {one['name']}: {one['mode']}, now {one['now']}")
        else:
            result = client.call("schedules")
            emit(result, show_schedules(result))
    elif cmd == "dnd":
        extra = {"state": args.state} if args.state else {}
        result = client.call("dnd", extension=args.extension, **extra)
        emit(result, f"extension {args.extension}: do not disturb "
                     f"{'on' if result['dnd'] else 'off'}")
    elif cmd == "sim-call":
        result = client.call("sim.call", **{"from": args.source, "to": args.target})
        emit(result, f"{args.source} is calling {args.target}")
    elif cmd == "callback":
        form = {k: v for k, v in (("when", args.when), ("name", args.name),
                                  ("country", args.country), ("pin", args.pin)) if v}
        result = client.call("callback", link=args.link, number=args.number, **form)
        where = f", position {result['position']}" if "position" in result else ""
        emit(result, f"callback {result['id']}: {result['state']}{where}")
    elif cmd == "callbacks":
        result = client.call("callbacks", open_only=args.open)
        emit(result, show_callbacks(result))
    elif cmd == "events":
        for event in client.events(args.topics, replay=args.replay):
            print(json.dumps(event) if args.json else show_event(event), file=out, flush=True)
    elif cmd == "call":
        try:
            call_args = json.loads(args.args)
        except json.JSONDecodeError as e:
            print(f"ringback-ctl: arguments are not JSON: {e}", file=sys.stderr)
            return 2
        if not isinstance(call_args, dict):
            print("ringback-ctl: arguments must be a JSON object", file=sys.stderr)
            return 2
        emit(client.call(args.cmd, **call_args), None)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with ApiClient(args.socket) as client:
            return run(args, client, sys.stdout)
    except ApiError as e:
        print(f"ringback-ctl: {e.message}", file=sys.stderr)
        return 3 if e.code == UNREACHABLE else 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
