"""ringbackd: loads the configuration and board profile, opens the store and the ports,
serves the control API, and runs until SIGTERM or SIGINT.

Exit codes: 0 after a clean stop, 1 when the box cannot run (store unreadable, another
daemon on the same data), 2 for bad configuration or a missing board profile. Each
failure is one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from firmware import __version__
from firmware.analog.port import AnalogPort
from firmware.api.audio_commands import register_audio_commands
from firmware.api.call_commands import NOT_FOUND, register_call_commands
from firmware.api.callback_commands import register_callback_commands
from firmware.api.commands import Arg, CommandTable
from firmware.api.notify_commands import register_notify_commands
from firmware.api.pbx_commands import register_pbx_commands
from firmware.api.protocol import BAD_ARGS, NOT_AVAILABLE, ApiError
from firmware.api.recording_commands import register_recording_commands
from firmware.api.server import ApiServer
from firmware.api.system_commands import register_system_commands
from firmware.api.voicemail_commands import register_voicemail_commands
from firmware.api.web_commands import register_web_commands
from firmware.api.web_state import WebState
from firmware.callback.cards import CallerCards
from firmware.callback.conversation import Conversation
from firmware.callback.journal import RequestJournal
from firmware.callback.notices import messages
from firmware.callback.prepaid import PrepaidAccounts
from firmware.callback.service import CallbackService
from firmware.callback.service import Notice as MissedContact
from firmware.callback.settings import CallbackSettings, default_settings
from firmware.clock import Clock, LoopClock, VirtualClock
from firmware.config import DaemonConfig, load_config
from firmware.errors import RESTART_EXIT, ConfigError
from firmware.events import EventBus
from firmware.isdn.line import CallError, IsdnLine
from firmware.log import get_logger, setup_logging
from firmware.media import speech
from firmware.media.engine import MediaEngine, MediaEvent
from firmware.media.prompts import FIXED, PromptLibrary
from firmware.media.ticker import MediaTicker
from firmware.notify import EmailChannel, NotifyError, Outbox, SmsChannel, ThreadRunner
from firmware.notify.channels import Channel
from firmware.notify.settings import NotifySettings
from firmware.pbx.applications import LANGUAGE as OFFICE_LANGUAGE
from firmware.pbx.cdr import CdrLog
from firmware.pbx.config import FieldError, PbxConfig
from firmware.pbx.defaults import default_office
from firmware.pbx.media_bridge import MediaBridge
from firmware.pbx.moh import MusicOnHold
from firmware.pbx.mwi import IsdnIndicator, MessageWaiting
from firmware.pbx.recording import CallRecorder
from firmware.pbx.switch import Switch
from firmware.pbx.voicemail import Voicemail
from firmware.ports.base import Port
from firmware.ports.factory import open_ports
from firmware.ports.lapdsock import LapdSockPort
from firmware.sim.phones import SimIsdnPhone
from firmware.sim.world import SimWorld
from firmware.store.database import Store, open_store
from firmware.store.errors import StoreError
from firmware.store.schema import MIGRATIONS, SCHEMA_VERSION, STORE_FILE
from firmware.system.line_option import parse_msns, with_line

log = get_logger("daemon")

MEDIA_SLOTS = 256  # engine slots: every B-channel of the board's ports, with room to spare
MEDIA_TICK = 160   # samples: the engine runs every 20 ms


CALLBACKS_START_DELAY = 2.0  # seconds after the lines start


class StartupError(Exception):
    """The box cannot run as configured (exit code 1)."""


class Daemon:
    def __init__(self, config: DaemonConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock
        self.restart_requested = False
        self.events = EventBus(clock)
        self.commands = CommandTable()
        # The media engine ticks first, then the simulated copper moves its audio.
        self.media = MediaEngine(MEDIA_SLOTS, MEDIA_TICK)
        self.ticker = MediaTicker(clock, self.media.tick_seconds)
        self.ticker.add(self._media_tick)
        self.sim = SimWorld(clock, media=self.media, ticker=self.ticker)
        self.ports: dict[str, Port] = {}
        self.lines: dict[str, IsdnLine] = {}
        self.analog: dict[str, AnalogPort] = {}  # FXS ports (their TA) by port name
        self.switch: Switch | None = None
        self.media_bridge: MediaBridge | None = None
        self.outbox: Outbox | None = None
        self.notify_settings = NotifySettings()
        self.callbacks: CallbackService | None = None
        self.store: Store | None = None
        self.api = ApiServer(config.api_socket, self.commands, self.events)
        self.started = clock.now()
        self.boots = 0
        self._lock_fd: int | None = None
        self._stopping = asyncio.Event()
        self._register_commands()

    async def run(self) -> None:
        try:
            await self.start()
            await self._stopping.wait()
        finally:
            await self.shutdown()

    def request_restart(self, reason: str) -> None:
        """Stop, then exit with RESTART_EXIT so the supervisor starts the daemon again."""
        self.restart_requested = True
        # after the answer to the asking client has gone out
        asyncio.get_running_loop().call_later(0.2, self.request_stop, f"restart: {reason}")

    def request_stop(self, reason: str) -> None:
        if not self._stopping.is_set():
            log.info("stopping", reason=reason)
            self._stopping.set()

    async def start(self) -> None:
        cfg = self.config
        for d in (cfg.data_dir, cfg.run_dir, cfg.log_dir):
            d.mkdir(parents=True, exist_ok=True)
        self._lock_data_dir()
        try:
            self.store = open_store(cfg.data_dir / STORE_FILE, MIGRATIONS,
                                    schema_version=SCHEMA_VERSION)
        except StoreError as e:
            raise StartupError(str(e)) from None
        self._count_boot()
        self.ports = open_ports(cfg.board, self.sim, self.clock, self.analog)
        for analog in self.analog.values():  # the TAs' internal links, after the engine
            self.ticker.add(analog.move_audio)
        self.lines = {name: IsdnLine(port, self.clock, self.events, msns=cfg.msns)
                      for name, port in self.ports.items()}
        self.switch = Switch(self.lines, self.clock, self._pbx_config(), self.events,
                             CdrLog(cfg.data_dir / "cdr.csv"))
        self.switch.save_config = self._save_pbx_config  # DND toggled by a dial code
        self._configure_analog(self.switch.config)
        self.switch.voicemail = Voicemail(cfg.data_dir / "voicemail", self.clock)
        # Message waiting: a mailbox's new count goes to its phone (ISDN: ETSI MWI in
        # FACILITY; analog: the port's TA gives stutter dial tone and an FSK burst).
        self.mwi = MessageWaiting(self.switch.voicemail, lambda: self.switch.config,
                                  self.events)
        self.mwi.indicators["isdn"] = IsdnIndicator(lambda: self.lines)
        self.mwi.indicators["analog"] = self._analog_message_waiting
        self.switch.voicemail.on_change = self.mwi.changed
        self.switch.prompts = PromptLibrary(cfg.prompts)
        # The PBX's calls reach the engine through the bridge: its hooks join the legs'
        # B-channel slots; voicemail, menus and the callback's questions play through it.
        self.media_bridge = MediaBridge(self.media, lambda: self.switch.calls,
                                  lambda: self.switch.config.country, self.events)
        for name, hook in self.media_bridge.hooks().items():
            setattr(self.switch, name, hook)
        self.switch.media = self.media_bridge
        self.moh = MusicOnHold(cfg.data_dir / "moh")
        self.media_bridge.moh = lambda: self.moh.current
        self.media_bridge.recorder = CallRecorder(self.media, cfg.data_dir / "recordings",
                                                  self.clock, self.events)
        self.media_bridge.recording_reason = self.switch.recording_reason
        self._load_moh(self.switch.config)
        self.callbacks = CallbackService(
            self.switch, self.clock, RequestJournal(cfg.data_dir / "callbacks.jsonl", self.clock),
            self._callback_settings(), events=self.events)
        self.callbacks.cards = CallerCards(self.store, self.clock, self.callbacks.contacts)
        self.callbacks.notify = self._report_missed
        self.callbacks.prepaid = PrepaidAccounts(self.store)
        self.notify_settings = self._stored_notify_settings()
        self._start_outbox(self.notify_settings)
        self.callbacks.conversation = Conversation(self.media_bridge, self.switch.prompts,
                                                   self.clock, self._offload,
                                                   lambda: self.switch.config.country)
        try:
            await self.api.start()
        except (RuntimeError, OSError) as e:
            raise StartupError(str(e)) from None
        self.sim.start()
        for port in self.ports.values():
            if isinstance(port, LapdSockPort):
                port.start()
        if cfg.trace_dir is not None:
            self._start_traces(cfg.trace_dir)
        for line in self.lines.values():
            line.start()
        for analog in self.analog.values():
            analog.start()
        # Pending callbacks resume once the lines had a moment to come up.
        self.callbacks.load()
        self.clock.call_later(CALLBACKS_START_DELAY, self.callbacks.resume)
        self.clock.call_later(CALLBACKS_START_DELAY, self.mwi.refresh)  # terminals are up
        self.ticker.start()
        asyncio.get_running_loop().run_in_executor(None, self._make_prompts,
                                                   self.switch.config)
        log.info("ready", version=__version__, board=cfg.board.name, api=cfg.api_socket,
                 data=cfg.data_dir, boots=self.boots)
        self.events.publish("daemon.ready", version=__version__, board=cfg.board.name)

    # notifications ------------------------------------------------------------------
    def _stored_notify_settings(self) -> NotifySettings:
        assert self.store is not None
        try:
            return NotifySettings.from_doc(self.store.table("notify").get(doc_id=1))
        except FieldError as e:
            log.error("notify_settings_unusable", problems=str(e))
            return NotifySettings()

    def _start_outbox(self, settings: NotifySettings) -> None:
        channels: dict[str, Channel] = {}
        if settings.email is not None:
            channels["email"] = EmailChannel(settings.email)
        if settings.sms is not None:
            channels["sms"] = SmsChannel(settings.sms)
        self.outbox = Outbox(self.config.data_dir / "outbox.jsonl", channels, self.clock,
                             ThreadRunner.for_loop(asyncio.get_running_loop()))
        self.outbox.start()

    async def _apply_notify_settings(self, settings: NotifySettings) -> None:
        """Store the settings and restart the outbox with them (what is pending stays)."""
        assert self.store is not None
        table = self.store.table("notify")
        doc = settings.to_doc()
        if table.get(doc_id=1) is None:
            table.insert(doc)
        else:
            table.update(doc, doc_ids=[1])
        self.notify_settings = settings
        if self.outbox is not None:
            await self.outbox.aclose()
        self._start_outbox(settings)

    def _report_missed(self, notice: MissedContact) -> None:
        """A callback that could not be completed: mail the visitor, mail and text staff."""
        for m in messages(notice.request, notice.link, notice.text):
            try:
                assert self.outbox is not None
                self.outbox.enqueue(m.channel, m.to, m.subject, m.body,
                                    tag=f"callback:{notice.request.id}")
            except (ValueError, NotifyError, RuntimeError) as e:
                log.warning("notice_not_queued", request=notice.request.id,
                            channel=m.channel, error=str(e))

    def _offload(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """work() in a worker thread (speech takes a moment), done(result) back here."""
        def finished(future: asyncio.Future) -> None:
            if future.cancelled():
                return
            if future.exception() is not None:
                log.error("offloaded_work_failed", error=repr(future.exception()))
                return
            done(future.result())

        asyncio.get_running_loop().run_in_executor(None, work).add_done_callback(finished)

    def _load_moh(self, pbx: PbxConfig) -> None:
        """Read (and resample) the music on hold in a worker thread: a long file takes
        seconds; held parties hear the built-in tune meanwhile."""
        asyncio.get_running_loop().run_in_executor(None, self.moh.load, pbx.moh)

    def _make_prompts(self, pbx: PbxConfig) -> None:
        """Speak the fixed prompts calls need and the IVR menus' texts in the office's
        language, once, in a worker thread: doing it when a caller waits would stall
        every call on the event loop. Run at start and after each PBX settings change."""
        assert self.switch is not None and self.switch.prompts is not None
        if not speech.available():
            log.warning("no_speech", why=f"{speech.ESPEAK} is not installed: callers hear "
                                         "beeps instead of voice prompts")
            return
        prompts, language = self.switch.prompts, OFFICE_LANGUAGE.get(self.switch.config.country,
                                                                      "en")
        try:
            made = prompts.build([language], names=FIXED)
        except (speech.SpeechError, OSError) as e:
            log.error("prompts_not_made", error=str(e))
            return
        for menu in pbx.menus:
            prompts.said(menu.text, language, make=True)
        if made:
            log.info("prompts_made", count=len(made), language=language)

    def _start_traces(self, directory: Path) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for name, line in self.lines.items():
                line.trace_to(directory / f"{name}.pcap")
        except OSError as e:
            raise StartupError(f"cannot write traces to {directory}: {e.strerror}") from None

    def _pbx_config(self) -> PbxConfig:
        """The stored PBX settings, or the board's first-boot defaults. Stored settings
        that no longer fit the ports (a board change) are kept but not used."""
        assert self.store is not None
        ports = tuple(self.ports)
        doc = self.store.table("pbx").get(doc_id=1)
        if doc is not None:
            try:
                return PbxConfig.from_doc(doc, ports=ports)
            except FieldError as e:
                log.error("pbx_settings_unusable", problems=str(e))
                return PbxConfig(country=self.config.country)
        trunk = next((n for n, p in self.ports.items() if p.spec.role == "te"), None)
        phones = [(p.port.spec.name.split(".")[0], p.msn) for p in self.sim.peers
                  if isinstance(p, SimIsdnPhone)]
        analog = [(p.name.split(".")[0], p.number) for p in self.sim.analog_phones
                  if p.number]
        return PbxConfig.from_doc(default_office(self.config.country, trunk, phones, analog),
                                  ports=ports)

    def _analog_message_waiting(self, port_name: str, active: bool, count: int,
                                msn: str = "") -> None:
        port = self.analog.get(port_name)
        if port is not None:
            port.ta.set_message_waiting(active, count)

    def _configure_analog(self, config: PbxConfig) -> None:
        """Each FXS port's TA gets its extension's number and the office's tones."""
        for name, port in self.analog.items():
            ext = next((e for e in config.extensions
                        if e.kind == "analog" and e.port == name), None)
            port.set_extension(ext.number if ext else "", config.country)

    def _link_ids(self) -> tuple[str, ...]:
        return tuple(k.id for k in self._the_callbacks().settings.links)

    def _callback_settings(self) -> CallbackSettings:
        assert self.store is not None and self.switch is not None
        doc = self.store.table("callback").get(doc_id=1)
        if doc is not None:
            try:
                return CallbackSettings.from_doc(doc)
            except FieldError as e:
                log.error("callback_settings_unusable", problems=str(e))
                return CallbackSettings()
        # first boot: the ISDN phones are staff (as before analog ports existed)
        staff = tuple(e.number for e in self.switch.config.extensions if e.kind == "isdn")
        return default_settings(staff)

    def _save_callback_settings(self, settings: CallbackSettings) -> None:
        assert self.store is not None
        table = self.store.table("callback")
        if table.get(doc_id=1) is None:
            table.insert(settings.to_doc())
        else:
            table.update(settings.to_doc(), doc_ids=[1])

    def _the_callbacks(self) -> CallbackService:
        if self.callbacks is None:
            raise ApiError(NOT_AVAILABLE, "the callback service is not running yet")
        return self.callbacks

    def _save_pbx_config(self, config: PbxConfig) -> None:
        assert self.store is not None
        self._configure_analog(config)
        table = self.store.table("pbx")
        if table.get(doc_id=1) is None:
            table.insert(config.to_doc())
        else:
            table.update(config.to_doc(), doc_ids=[1])
        self._load_moh(config)
        if config.menus:  # a menu's new text is spoken before a caller needs it
            asyncio.get_running_loop().run_in_executor(None, self._make_prompts, config)

    async def shutdown(self) -> None:
        if self.outbox is not None:
            await self.outbox.aclose(timeout=10)
        self.ticker.stop()
        await self.api.stop()
        for line in self.lines.values():
            line.close()
        if self.switch is not None and self.switch.cdr is not None:
            self.switch.cdr.close()
        if self.callbacks is not None:
            self.callbacks.close()
        for port in self.ports.values():
            port.close()
        if self.store is not None:
            self.store.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
        log.info("stopped")

    def _lock_data_dir(self) -> None:
        """One daemon per data directory: two writers would undo each other's writes."""
        path = self.config.data_dir / ".lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise StartupError(f"another ringbackd (pid {other}) is using "
                               f"{self.config.data_dir}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd

    def _count_boot(self) -> None:
        assert self.store is not None
        table = self.store.table("system")
        doc = table.get(doc_id=1) or {}
        self.boots = int(doc.get("boots", 0)) + 1
        record = {"boots": self.boots, "last_boot": self.clock.wall(),
                  "version": __version__}
        if doc:
            table.update(record, doc_ids=[1])
        else:
            table.insert(record)

    def _media_tick(self) -> None:
        events = self.media.tick()
        if events:
            for analog in self.analog.values():  # keys dialled on an FXS slot
                analog.media_events(events)
            for event in self.media_bridge.dispatch(events) if self.media_bridge else events:
                self._publish_media(event)

    def _publish_media(self, event: MediaEvent) -> None:
        topic = f"media.{event.kind.name.lower()}"
        data = {"slot": event.slot, "time": round(event.seconds, 4)}
        if event.digit:
            data["digit"] = event.digit
        else:
            data["value"] = event.value
        self.events.publish(topic, **data)

    # control API
    def _register_commands(self) -> None:
        c = self.commands
        c.add("ping", lambda: "pong", "check that the daemon answers")
        c.add("status", self.status, "version, uptime, board, ports and their layer-1 state")
        c.add("ports", self.port_status,
              "every port with its layer-1 state, B-channels and counters")
        c.add("media", self.media_status, "the media engine: open slots, ticks, slips")
        register_call_commands(c, lambda: self.lines, lambda: self.switch)
        register_pbx_commands(c, self._the_switch, self._save_pbx_config,
                              lambda: tuple(self.ports), self.sim, self._link_ids)
        register_callback_commands(c, self._the_callbacks, self._save_callback_settings)
        register_voicemail_commands(c, self._the_switch)
        register_recording_commands(c, lambda: self.media_bridge)
        register_audio_commands(c, self._the_switch, self.config.data_dir / "recordings")
        register_notify_commands(c, lambda: self.notify_settings,
                                 self._apply_notify_settings, lambda: self.outbox)
        register_web_commands(c, WebState(self._the_store), self._extension_numbers,
                              self._trunk_mode)
        register_system_commands(c, self._the_store, self._live_settings,
                                 lambda: tuple(self.ports), self.request_restart)
        c.add("sim.call", self.sim_call, "a subscriber of the simulated PSTN calls the box",
              Arg("from", str), Arg("to", str))

    def _live_settings(self) -> dict[str, Any]:
        """The settings the services run with now, secrets included (for a backup)."""
        return {"pbx": self._the_switch().config.to_doc(),
                "callback": self._the_callbacks().settings.to_doc(),
                "notify": self.notify_settings.to_doc()}

    def _extension_numbers(self) -> tuple[str, ...]:
        return tuple(e.number for e in self._the_switch().config.extensions)

    def _trunk_mode(self) -> str:
        """ptmp or ptp: the mode the trunk port runs in now ("" without a trunk)."""
        trunk = next((p for p in self.ports.values() if p.spec.role == "te"), None)
        return trunk.spec.mode if trunk is not None else ""

    def _the_store(self) -> Store:
        if self.store is None:
            raise ApiError(NOT_AVAILABLE, "the store is not open yet")
        return self.store

    def _the_switch(self) -> Switch:
        if self.switch is None:
            raise ApiError(NOT_AVAILABLE, "the PBX is not running yet")
        return self.switch

    def status(self) -> dict[str, Any]:
        cfg = self.config
        return {
            "version": __version__,
            "pid": os.getpid(),
            "board": cfg.board.name,
            # the office's country as set up (the PBX's); the config file's until then
            "country": self.switch.config.country if self.switch else cfg.country,
            "uptime": round(self.clock.now() - self.started, 3),
            "boots": self.boots,
            "store": {"path": str(cfg.data_dir / STORE_FILE),
                      "schema": self.store.schema_version if self.store else None},
            "api": {"socket": str(cfg.api_socket), "subscribers": self.events.subscriber_count},
            "ports": self.port_status(),
            "sim": self.sim.status() if self.sim.peers else None,
        }

    def media_status(self) -> dict[str, Any]:
        calls = self.media_bridge.status() if self.media_bridge else []
        extra: dict[str, Any] = {}
        if self.media_bridge is not None and self.switch is not None:
            extra["moh"] = {"source": self.moh.source(self.switch.config.moh),
                            **self.media_bridge.moh_status()}
        return self.media.status() | {"clock": self.ticker.status(), "calls": calls} | extra

    def sim_call(self, **args: Any) -> dict[str, Any]:
        exchange = self.sim.exchange()
        if exchange is None:
            raise ApiError(NOT_FOUND, "this board has no simulated exchange")
        try:
            call_id = exchange.call_box(args["to"], args["from"])
        except CallError as e:
            raise ApiError(BAD_ARGS, str(e)) from None
        return {"exchange_call": call_id}

    def port_status(self) -> list[dict[str, Any]]:
        return [port.status() | ({"l2": self.lines[name].status(),
                                  "l3": self.lines[name].calls()} if name in self.lines
                                 else {})
                | (self.analog[name].status() if name in self.analog else {})
                for name, port in self.ports.items()]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="ringbackd", description=__doc__.split("\n\n")[0])
    p.add_argument("--config", type=Path, help="start-up configuration (TOML)")
    p.add_argument("--board", help="board profile name or path to a board.toml "
                                   "(overrides the config)")
    p.add_argument("--data-dir", help="where the store lives (overrides config and board)")
    p.add_argument("--run-dir", help="where the API socket goes (overrides config and board)")
    p.add_argument("--log-level", help="debug, info, warning or error")
    p.add_argument("--trace-dir", help="write each line's D-channel to DIR/PORT.pcap "
                                       "(Wireshark, LINUX_LAPD)")
    p.add_argument("--line", metavar="BACKEND:ARG",
                   help="run one ISDN line instead of the board's ports, "
                        "e.g. lapdsock:/tmp/dchan.sock (the peer listens there)")
    p.add_argument("--side", default="te", help="with --line: te (user side) or nt (network)")
    p.add_argument("--mode", default="ptmp", help="with --line: ptmp or ptp")
    p.add_argument("--msn", help="the numbers the box answers to, comma-separated (other "
                                 "incoming calls are refused: cause 1 on PTP, 88 on P-MP)")
    p.add_argument("--check", action="store_true",
                   help="check the configuration and board profile, then exit")
    p.add_argument("--version", action="version", version=f"ringbackd {__version__}")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        config = load_config(args.config, board=args.board, data_dir=args.data_dir,
                             run_dir=args.run_dir, log_level=args.log_level,
                             trace_dir=args.trace_dir)
        if args.msn is not None:
            config = replace(config, msns=parse_msns(args.msn))
        if args.line:
            config = replace(config, board=with_line(config.board, args.line, args.side,
                                                     args.mode))
        # Open the ports once on a throwaway simulated world: every backend and option
        # error shows up here, before anything touches the store.
        open_ports(config.board, SimWorld(VirtualClock()), VirtualClock())
        if args.check:
            print(f"ringbackd: configuration ok (board {config.board.name}, "
                  f"{len(config.board.ports)} ports)")
            return 0
    except ConfigError as e:
        print(f"ringbackd: error: {e}", file=sys.stderr)
        return 2
    setup_logging(config.log_level)
    try:
        return asyncio.run(_serve(config))
    except ConfigError as e:
        print(f"ringbackd: error: {e}", file=sys.stderr)
        return 2
    except StartupError as e:
        print(f"ringbackd: error: {e}", file=sys.stderr)
        return 1


async def _serve(config: DaemonConfig) -> int:
    loop = asyncio.get_running_loop()
    daemon = Daemon(config, LoopClock(loop))
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, daemon.request_stop, signal.Signals(sig).name)
    await daemon.run()
    return RESTART_EXIT if daemon.restart_requested else 0


if __name__ == "__main__":
    sys.exit(main())
