#!/usr/bin/env python3
"""Kill loop: SIGKILL Trillium at random moments and prove that nothing it
showed as saved is ever lost.

The app shows `saved #N` in its status bar only after record N is written
and fdatasync'd, so whatever the screen showed before a SIGKILL must be in
the log afterwards. This script walks whole sessions in the real binary, in
a tmux server of its own (80x24), watches the status bar all along, kills
the app at a random moment and then checks:

  1. `trillium verify LOG` says valid or torn tail, never corrupt, and agrees
     with this script's own check of the hash chain (README, "Log format");
  2. the log holds at least N valid records, N being the highest `saved #N`
     the screen showed, and the records seen at earlier checks are unchanged;
  3. `trillium resume` reopens the session on a session screen showing
     `saved #M` with exactly the M records the log then holds (a torn tail
     cut off, backed up and recorded as `log.repaired`), or, when none of the
     session was saved or it was already signed, says there is nothing to
     resume.

It then carries on with the resumed session, to its end or to the next
kill, and starts new sessions until it has made --kills kills. Python's
standard library and the tmux command only.

What a SIGKILL cannot show: the kernel keeps a killed process's written
pages, so this proves that the app writes a record before it shows it saved
and that recovery and resume keep every record; that the record was also
synced to the disk needs a power cut (the writer's fault-injection tests
cover the sync calls). And a single write(2) of a line to a regular file is
not cut short by SIGKILL, so torn tails are expected to be rare or absent.

usage: kill_loop.py [--binary PATH] [--kills K] [--seed S] [--verbose]
  --binary   the trillium executable (default /work/main/.build/debug/trillium)
  --kills    how many SIGKILLs to make (default 50; 10000 works, ~3 s each)
  --seed     the random seed (default from the clock; printed, to repeat a run)
  --verbose  one line per kill: phase, moment, saved #N shown, log, resume

Exit status 0 when every kill passed, 1 on the first failure (the screen,
verify's output and the kept log are printed), 130 when interrupted.
"""

import argparse
import hashlib
import json
import os
import random
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple

DEFAULT_BINARY = "/work/main/.build/debug/trillium"
WIDTH, HEIGHT = 80, 24

POLL_SECONDS = 0.015        # between two looks at the screen
STEP_SECONDS = 30.0         # deadline for the app to answer a key: generous, the machine may be busy building
KEY_MISSED_SECONDS = 8.0    # a key that changed nothing by then was pressed on a stale screen: look again
DWELL_SECONDS = 60.0        # deadline for the short dwell (3 s minimum) to pass
BINARY_WAIT_SECONDS = 900.0 # how long a rebuilt binary may stay missing

# A kill comes after 1..50 driving steps; a whole session is ~50 steps, so
# some sessions are killed several times and some are finished and signed.
MOST_STEPS_BEFORE_A_KILL = 50
# A fresh data directory after this many logs: the start screen and resume
# read every log in the directory, which would slow a 10,000-kill run down.
LOGS_PER_DATA_DIRECTORY = 25

SEALED_TYPES = {"session.signed", "session.aborted"}
GENESIS_DIGEST = "0" * 64

OPERATOR, SERIAL, LOT, EXPIRY = "Kill Loop", "SP-KL", "LOT-KL", "2099-12"
# Zone list rows on the intake screen (Forehead is 0); sessions plan one or two of them.
ZONE_CHOICES = [0, 1, 6, 7, 8, 10]


class Failure(Exception):
    """A kill did not pass (or the driver could not go on): what to show."""

    def __init__(self, message, screen="", verify_output="", log_path=None):
        super().__init__(message)
        self.message = message
        self.screen = screen
        self.verify_output = verify_output
        self.log_path = log_path


# ---------------------------------------------------------------- the log

@dataclass
class ChainCheck:
    """This script's own reading of a log, from README's "Log format" alone."""
    status: str                      # "valid", "torn" or "corrupt"
    records: List[dict]              # the valid records, in order
    digests: List[str]               # their line digests
    valid_length: int = 0            # bytes up to the end of the last valid line
    tail: bytes = b""                # the bytes after it (a torn tail)
    problem: str = ""


def line_problem(line: bytes, has_lf: bool, seq: int, prev: str) -> Tuple[str, Optional[dict], str]:
    """Why one line fails (empty when it passes), its record and its digest."""
    if not has_lf:
        return "no line feed", None, ""
    payload, space, digest = line.rpartition(b" ")
    if not space or not re.fullmatch(rb"[0-9a-f]{64}", digest):
        return "not JSON SP DIGEST", None, ""
    if hashlib.sha256(payload).hexdigest() != digest.decode():
        return "digest mismatch", None, ""
    try:
        record = json.loads(payload)
    except ValueError:
        return "bad JSON", None, ""
    if not isinstance(record, dict) or record.get("seq") != seq:
        return f"seq is not {seq}", None, ""
    if record.get("prev") != prev:
        return "prev is not the previous digest", None, ""
    if seq == 1 and record.get("type") != "session.opened":
        return "line 1 is not session.opened", None, ""
    return "", record, digest.decode()


def check_chain(path: str) -> ChainCheck:
    with open(path, "rb") as f:
        data = f.read()
    check = ChainCheck("valid", [], [])
    offset, prev = 0, GENESIS_DIGEST
    while offset < len(data):
        end = data.find(b"\n", offset)
        line_end = len(data) if end < 0 else end
        problem, record, digest = line_problem(data[offset:line_end], end >= 0, len(check.records) + 1, prev)
        if problem:
            # Only the last line may fail (an interrupted write); a bad line
            # with more lines after it is corruption.
            next_line = len(data) if end < 0 else end + 1
            check.status = "torn" if next_line >= len(data) else "corrupt"
            check.problem = f"line {len(check.records) + 1} at byte {offset}: {problem}"
            check.tail = data[offset:]
            break
        check.records.append(record)
        check.digests.append(digest)
        prev = digest
        offset = end + 1
        check.valid_length = offset
    if not data:
        check.status, check.problem = "torn", "empty file: no record was saved"
    return check


# ---------------------------------------------------------------- the binary

class Binary:
    """The app's executable, which another engineer may rebuild under us."""

    def __init__(self, path: str):
        self.path = path

    def wait_until_ready(self):
        # A relink deletes the file and writes it again: wait until it is
        # there, executable and has not changed for two seconds.
        deadline = time.monotonic() + BINARY_WAIT_SECONDS
        said = False
        while True:
            try:
                if os.access(self.path, os.X_OK) and time.time() - os.stat(self.path).st_mtime > 2:
                    return
            except FileNotFoundError:
                pass
            if time.monotonic() > deadline:
                raise Failure(f"{self.path} did not come back within {BINARY_WAIT_SECONDS:.0f} s")
            if not said:
                print(f"(waiting for {self.path}: missing or just rebuilt)", file=sys.stderr)
                said = True
            time.sleep(0.5)

    def run(self, arguments: List[str], environment: Optional[dict] = None) -> subprocess.CompletedProcess:
        last_error = None
        for _ in range(5):
            self.wait_until_ready()
            try:
                result = subprocess.run([self.path] + arguments, stdin=subprocess.DEVNULL, capture_output=True,
                                        text=True, env=environment, timeout=120)
            except OSError as error:  # ENOENT, ETXTBSY, ENOEXEC while it is being relinked
                last_error = error
                time.sleep(1)
                continue
            if result.returncode >= 0:
                return result
            last_error = f"killed by signal {-result.returncode}"  # a half-written binary crashing
            time.sleep(1)
        raise Failure(f"could not run {self.path} {' '.join(arguments)}: {last_error}")


def run_verify(binary: Binary, log_path: str) -> Tuple[int, str]:
    result = binary.run(["verify", log_path])
    return result.returncode, (result.stdout + result.stderr).strip()


# ---------------------------------------------------------------- tmux

class Tmux:
    """A tmux server of our own; each run of the app is one tmux session."""

    def __init__(self):
        self.socket = f"trillium-kill-loop-{os.getpid()}-{secrets.token_hex(4)}"
        self.socket_path: Optional[str] = None
        self.server_pid: Optional[int] = None

    def command(self, *arguments: str, capture: bool = False) -> str:
        # The server that new-session starts keeps the descriptors it
        # inherits: give it /dev/null, never a pipe it would hold open.
        result = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *arguments],
                                stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                stdout=subprocess.PIPE if capture else subprocess.DEVNULL, text=capture)
        return result.stdout if capture else ""

    def start(self, name: str, shell_command: str):
        self.command("new-session", "-d", "-s", name, "-x", str(WIDTH), "-y", str(HEIGHT), shell_command)
        if self.socket_path is None:
            self.socket_path = self.command("display-message", "-p", "#{socket_path}", capture=True).strip() or None
        if self.server_pid is None:
            pid = self.command("display-message", "-p", "#{pid}", capture=True).strip()
            self.server_pid = int(pid) if pid.isdigit() else None

    def capture(self, name: str) -> str:
        return self.command("capture-pane", "-p", "-t", name, capture=True)

    def send(self, name: str, keys: List[Tuple[str, str]]):
        # All of an action's keys in one tmux call, commands separated by ";".
        arguments: List[str] = []
        for kind, value in keys:
            if arguments:
                arguments.append(";")
            arguments += ["send-keys", "-t", name] + (["-l", value] if kind == "text" else [value])
        if arguments:
            self.command(*arguments)

    def pane_pid(self, name: str) -> Optional[int]:
        text = self.command("display-message", "-p", "-t", name, "#{pane_pid}", capture=True).strip()
        return int(text) if text.isdigit() else None

    def kill_session(self, name: str):
        self.command("kill-session", "-t", name)

    def kill_server(self):
        self.command("kill-server")
        # Runs under the test suite once left their server (and the last app
        # in it) running after kill-server: it is not left to chance.
        if self.server_pid is not None:
            deadline = time.monotonic() + 5
            while os.path.exists(f"/proc/{self.server_pid}") and time.monotonic() < deadline:
                time.sleep(POLL_SECONDS)
            try:
                with open(f"/proc/{self.server_pid}/cmdline", "rb") as f:
                    still_ours = self.socket.encode() in f.read()
                if still_ours:
                    os.kill(self.server_pid, signal.SIGKILL)
            except (FileNotFoundError, ProcessLookupError):
                pass
        # tmux leaves its socket file behind: remove it too.
        if self.socket_path and os.path.basename(self.socket_path) == self.socket:
            try:
                os.unlink(self.socket_path)
            except FileNotFoundError:
                pass


def key(name: str) -> Tuple[str, str]:
    return ("key", name)


def text(value: str) -> Tuple[str, str]:
    return ("text", value)


# ---------------------------------------------------------------- the screen

def status_line(screen: str) -> str:
    return screen.split("\n", 1)[0]


def saved_number(screen: str) -> Optional[int]:
    """The N of `saved #N` in the status bar, None when there is no status bar."""
    match = re.search(r"saved #(\d+)\s*$", status_line(screen))
    return int(match.group(1)) if match else None


def refusal_notices(screen: str) -> set:
    """The app's refusal notices on a screen: lines that start " ! "."""
    return {line.strip() for line in screen.split("\n") if line.startswith(" ! ")}


def exit_status(screen: str) -> Optional[int]:
    """The app's exit status, printed by the pane's shell once it ended."""
    # Printed after CR LF: a killed app leaves the cursor anywhere and the
    # terminal raw, and the status must not wrap across two lines.
    # The status is followed by ";" and the rest of its line is cleared: the
    # screen under it is whatever the killed app left (the terminal stays raw).
    match = re.search(r"^EXIT=(\d+);", screen, re.MULTILINE)
    return int(match.group(1)) if match else None


def phase_of(screen: str) -> str:
    fields = status_line(screen).split(" · ")
    if len(fields) >= 3:
        return fields[2].strip()
    if "New session" in screen:
        return "Start"
    if "Patient reference" in screen:
        return "Intake"
    return "?"


def cursor_row(rows: list) -> Optional[int]:
    for index, row in enumerate(rows):
        if row[0] == "▶":
            return index
    return None


SCREENING_ROW = re.compile(r"^ (▶| ) (.+?)\s{2,}(-- not answered|no|YES.*?)\s*$")
CHECKLIST_ROW = re.compile(r"^ (▶| ) \[( |x)\] (.*)$")
ZONE_ROW = re.compile(r"^ (▶| ) (\S) (.+?)\s+(\S+)\s+(\d+)/(\d+)\s+(planned|active|complete|skipped)\b")


@dataclass
class Action:
    """One driving step: keys to send and the screen that shows they took effect."""
    name: str
    keys: List[Tuple[str, str]]
    done: Callable[[str], bool]
    timeout: float = STEP_SECONDS
    opens_session: Optional["SessionTrack"] = None  # the intake's Enter: a new log
    after: Optional[Callable[[], None]] = None      # bookkeeping once done


@dataclass
class SessionTrack:
    """What this script knows of one session (one log)."""
    patient: str
    zones: List[int]
    logs_before: set = field(default_factory=set)
    log_path: Optional[str] = None
    highest_saved: int = 0            # the highest `saved #N` any screen of this session showed
    highest_saved_screen: str = ""    # that screen, for the report of a failure
    known_digests: List[str] = field(default_factory=list)  # records seen at earlier checks
    note_added: bool = False
    counted_complete: bool = False


def next_action(screen: str, session: Optional[SessionTrack], rng: random.Random,
                new_session: Callable[[], SessionTrack]) -> Optional[Action]:
    """What an operator does next on this screen; None when the screen is not
    one we know (for instance half drawn), so that the caller looks again."""
    lines = screen.split("\n")
    saved_before = saved_number(screen) or 0

    def records(name, *keys, after=None):
        # A step that appends one record: done once the status bar counts it.
        return Action(name, list(keys), lambda s: (saved_number(s) or 0) > saved_before, after=after)

    def shows(name, expected, *keys):
        return Action(name, list(keys), lambda s: expected in s)

    def move_cursor(rows, parse, target):
        here = cursor_row(rows)
        direction = "Down" if target > here else "Up"
        return Action(f"cursor {direction.lower()}", [key(direction)],
                      lambda s: cursor_row(parse(s)) not in (here, None))

    # Dialogs first: they are drawn over a screen whose text partly remains.
    if ": direction" in screen:
        return records("choose the pass direction", key(str(rng.randint(1, 5))))
    if "Clinical endpoint on" in screen:
        return records("choose the endpoint", key(str(rng.randint(1, 2))))
    if "Note text:" in screen:
        def note_saved():
            if session:
                session.note_added = True
        return records("save a note", key("C-u"), text("Kill loop: tolerated well"), key("Enter"), after=note_saved)
    if "Finish treatment?" in screen:
        return records("finish the treatment", key("y"))
    if "Anesthetic removed completely?" in screen:
        return records("confirm the anesthetic removed", key("y"))
    if "Sign off and seal this session?" in screen:
        return records("sign off", key("y"))
    if "SESSION SIGNED AND SEALED" in screen:
        return shows("back to the start screen", "New session", key("Enter"))

    if "▶ New session" in screen:
        return shows("open a new intake", "Patient reference", key("Enter"))
    if "Patient reference [" in screen and "▶ Patient reference" in screen:
        track = new_session()
        keys = []
        for value in (track.patient, OPERATOR, None, SERIAL, LOT):
            # The device is chosen from the protocol's (Space changes it): the first, SkinPen, is kept.
            # C-u: the operator and the serial come prefilled from the last session.
            keys += ([key("C-u"), text(value)] if value else []) + [key("Down")]
        keys += [key("C-u"), text(EXPIRY), key("Tab")]
        position = 0
        for zone in track.zones:
            keys += [key("Down")] * (zone - position) + [key("Space")]
            position = zone
        keys.append(key("Enter"))
        # The device row is a choice among the protocol's devices: what is typed there changes nothing.
        action = Action("fill in the intake and open the session", keys,
                        lambda s: saved_number(s) == 1 and "Fitzpatrick skin type" in s)
        action.opens_session = track
        return action

    if "Fitzpatrick skin type" in screen and "Consultation" in screen:
        # The whole form in one go: it is saved as one record, and a kill before it leaves nothing to resume but the form.
        keys = [text("3"), key("Down"), key("Space")] + [key("Down")] * 7
        keys += [text("Kill loop: smoother skin"), key("Down"), key("Space"), key("Enter")]
        return records("record the consultation", *keys)

    if "Contraindication screening" in screen:
        def screening_rows(s):
            return [m.groups() for m in map(SCREENING_ROW.match, s.split("\n")[3:19]) if m]
        rows = screening_rows(screen)
        if not rows or cursor_row(rows) is None:
            return None
        target = next((i for i, r in enumerate(rows) if r[2].startswith("YES: BLOCKS")), None)
        if target is None:
            target = next((i for i, r in enumerate(rows) if r[2] == "-- not answered"), None)
        if target is None:
            target = next((i for i, r in enumerate(rows) if "needs prophylaxis" in r[2]), None)
        if target is None:
            return records("finish the screening", key("Enter"))
        if target != cursor_row(rows):
            return move_cursor(rows, screening_rows, target)
        question, answer = rows[target][1], rows[target][2]
        if "needs prophylaxis" in answer:
            return records("confirm the prophylaxis", key("p"))
        if answer == "-- not answered" and "cold sores" in question:
            return records("answer yes (cold sores)", key("y"))
        return records("answer no", key("n"))

    def checklist(done_action):
        def checklist_rows(s):
            return [m.groups() for m in map(CHECKLIST_ROW.match, s.split("\n")[2:21]) if m]
        rows = checklist_rows(screen)
        if not rows or cursor_row(rows) is None:
            return None
        target = next((i for i, r in enumerate(rows) if r[1] == " "), None)
        if target is None:
            return done_action
        if target != cursor_row(rows):
            return move_cursor(rows, checklist_rows, target)
        return records("confirm an item", key("Space"))

    if "Preparation  Space confirms" in screen:
        return checklist(records("finish the preparation", key("Enter")))
    if "Topical anesthetic  Enter records" in screen:
        # The agent, then its dose: in the clinic, 5 g over 100 cm², its lot and expiry, recorded once all are given.
        return records("apply the anesthetic", key("Enter"), text("1"), text("5"), key("Enter"), text("100"), key("Enter"),
                       text("AN-KL"), key("Enter"), text(EXPIRY), key("Enter"))
    if "WAITING: minimum dwell in" in screen:
        action = Action("wait for the minimum dwell", [], lambda s: "WAITING" not in s)
        action.timeout = DWELL_SECONDS
        return action
    if "READY: minimum dwell reached" in screen or "OVER MAXIMUM DWELL" in screen:
        return shows("remove the anesthetic", "Anesthetic removed completely?", key("r"))
    if "Antisepsis  Space confirms" in screen:
        return checklist(records("start the treatment", key("Enter")))
    if "Go through each item with the patient" in screen:
        return checklist(shows("ask to sign off", "Sign off and seal this session?", key("Enter")))

    if "depth   passes  state" in screen:
        def zone_rows(s):
            return [m.groups() for m in (ZONE_ROW.match(line[:50]) for line in s.split("\n")[3:16]) if m]
        rows = zone_rows(screen)
        here = cursor_row(rows)
        if not rows or here is None:
            return None
        unfinished = [i for i, r in enumerate(rows) if r[6] not in ("complete", "skipped")]
        if here not in unfinished:
            if unfinished:
                return move_cursor(rows, zone_rows, unfinished[0])
            if session and not session.note_added:
                return shows("open a note", "Note text:", key("N"))
            return shows("ask to finish the treatment", "Finish treatment?", key("Enter"))
        panel = "\n".join(line for line in lines if line.startswith("│ "))
        passes = re.search(r"Passes (\d+)/(\d+)", panel)
        if "Depth " not in panel or not passes:
            return None
        if "(not set" in panel:
            return records("set the depth", key("d"))
        if int(passes.group(1)) < int(passes.group(2)):
            return shows("start a pass", ": direction", key("p"))
        if "Endpoint: not yet" in panel:
            return shows("record the endpoint", "Clinical endpoint on", key("e"))
        return records("complete the zone", key("c"))
    return None


# ---------------------------------------------------------------- the loop

@dataclass
class Figures:
    kills: int = 0
    passed: int = 0
    failed: int = 0
    torn_tails: int = 0
    records_checked: int = 0
    sessions_completed: int = 0
    resumes: int = 0
    kills_between_keys: int = 0
    kills_after_a_key: int = 0
    nothing_to_resume: int = 0
    logs_checked_at_rotation: int = 0


class KillLoop:
    def __init__(self, binary: Binary, kills: int, seed: int, verbose: bool):
        self.binary = binary
        self.kills_wanted = kills
        self.seed = seed
        self.rng = random.Random(seed)
        self.verbose = verbose
        self.figures = Figures()
        self.refusals_in_a_row = 0
        self.tmux = Tmux()
        self.workspace = tempfile.mkdtemp(prefix="trillium-kill-loop-")  # mode 0700
        self.protocol_path = os.path.join(self.workspace, "short-dwell.toml")
        self.data_directories = 0
        self.data = self.new_data_directory()
        self.runs = 0
        self.app_name: Optional[str] = None
        self.app_pid: Optional[int] = None
        self.session: Optional[SessionTrack] = None
        self.patients = 0
        self.keep_workspace = False
        self.last_kill = ""  # which kill, where and when: for the report of a failure
        self.last_screen = ""

    # -- setup

    def new_data_directory(self) -> str:
        self.data_directories += 1
        path = os.path.join(self.workspace, f"data-{self.data_directories}")
        os.mkdir(path, 0o700)
        return path

    def write_short_dwell_protocol(self):
        # As TerminalEndToEndTests.shortDwellProtocol: minutes become 0.05
        # and 0.15 (3 s and 9 s), so a session does not wait half an hour.
        result = self.binary.run(["protocol", "show", "--raw"])
        if result.returncode != 0:
            raise Failure(f"trillium protocol show --raw failed: {result.stderr.strip()}")
        protocol = result.stdout
        for minimum, maximum in [("30", "60"), ("60", "120"), ("20", "30")]:
            protocol = protocol.replace(f"minimum_dwell_minutes = {minimum}\nmaximum_dwell_minutes = {maximum}",
                                        "minimum_dwell_minutes = 0.05\nmaximum_dwell_minutes = 0.15")
        protocol = protocol.replace('id = "trillium-default-microneedling"', 'id = "kill-loop-short-dwell"')
        if "minimum_dwell_minutes = 0.05" not in protocol:
            raise Failure("the embedded protocol's dwell lines were not found: the short-dwell copy cannot be made")
        with open(self.protocol_path, "w", encoding="utf-8") as f:
            f.write(protocol)

    # -- running the app

    def launch(self, arguments: List[str]) -> str:
        """Starts the app in a new tmux session and returns its first screen
        (or the pane once it exited). The previous run's session is closed."""
        previous = self.app_name
        for attempt in range(3):
            self.binary.wait_until_ready()
            self.runs += 1
            self.app_name = f"run{self.runs}"
            app = " ".join(shlex.quote(part) for part in [self.binary.path] + arguments + ["--protocol", self.protocol_path])
            self.tmux.start(self.app_name,
                            f"env -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 TRILLIUM_DATA={shlex.quote(self.data)} "
                            f"{app}; status=$?; printf '\\r\\n\\033[KEXIT=%s;\\033[K\\r\\n' $status; sleep 600")
            if previous:
                self.tmux.kill_session(previous)
            previous = self.app_name
            screen = self.wait_until("the app to draw or exit",
                                     lambda s: exit_status(s) is not None or s.strip() != "")
            if exit_status(screen) in (126, 127):  # the binary vanished between the check and the exec
                continue
            self.app_pid = self.find_app_pid() if exit_status(screen) is None else None
            return screen
        screen = self.look()
        raise Failure("the app could not be started", screen=screen)

    def find_app_pid(self) -> Optional[int]:
        """As Tmux.appPID: the pane shell's child whose /proc/PID/stat name is
        (trillium). None when the app has already exited."""
        shell = self.tmux.pane_pid(self.app_name)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        stat = f.read()
                except OSError:
                    continue
                name_end = stat.rfind(")")
                fields = stat[name_end + 2:].split()  # state, ppid, ...
                if stat[stat.find("("):name_end + 1] == "(trillium)" and len(fields) > 1 and int(fields[1]) == shell:
                    return int(entry)
            if exit_status(self.look()) is not None:
                return None
            time.sleep(POLL_SECONDS)
        raise Failure("the app's pid was not found", screen=self.look())

    def look(self) -> str:
        """One look at the screen. Every look passes through here, so no
        `saved #N` the app ever shows goes unnoticed."""
        screen = self.tmux.capture(self.app_name)
        session = self.session
        if session and status_line(screen).startswith(f" {session.patient} ·"):
            shown = saved_number(screen)
            if shown is not None and shown > session.highest_saved:
                session.highest_saved = shown
                session.highest_saved_screen = screen
        self.last_screen = screen
        if "READ-ONLY" in status_line(screen):
            raise Failure("the app turned read-only (a write or sync failed)", screen=screen)
        return screen

    def wait_until(self, what: str, condition: Callable[[str], bool], timeout: float = STEP_SECONDS) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.look()
            if condition(screen):
                return screen
            if time.monotonic() > deadline:
                raise Failure(f"timed out after {timeout:.0f} s waiting for {what}", screen=screen)
            time.sleep(POLL_SECONDS)

    def watch_for(self, seconds: float):
        """Keeps looking at the screen for a while (a kill's random delay)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.look()
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))

    def log_names(self) -> set:
        return {name for name in os.listdir(self.data) if name.endswith(".tlog")}

    def new_session(self) -> SessionTrack:
        self.patients += 1
        zones = sorted(self.rng.sample(ZONE_CHOICES, self.rng.choice([1, 1, 2])))
        return SessionTrack(patient=f"KL-{self.patients:05d}", zones=zones)

    def send(self, action: Action):
        if action.opens_session:
            # The log appears with the session's first record: note which logs were there before.
            self.session = action.opens_session
            self.session.logs_before = self.log_names()
        self.tmux.send(self.app_name, action.keys)

    # -- driving

    def next_step(self) -> Tuple[str, Action]:
        """Looks at the screen until it knows what to do next there."""
        deadline = time.monotonic() + STEP_SECONDS
        while True:
            screen = self.look()
            status = exit_status(screen)
            if status is not None:
                raise Failure(f"the app exited by itself (EXIT={status})", screen=screen)
            if "SESSION SIGNED AND SEALED" in screen and self.session and not self.session.counted_complete:
                self.session.counted_complete = True
                self.figures.sessions_completed += 1
            if "▶ New session" in screen:
                self.session = None  # back at the start: the last session is over
                if len(self.log_names()) >= LOGS_PER_DATA_DIRECTORY:
                    self.rotate_data_directory()
                    continue
            action = next_action(screen, self.session, self.rng, self.new_session)
            if action:
                return screen, action
            if time.monotonic() > deadline:
                raise Failure("the driver does not know this screen", screen=screen)
            time.sleep(POLL_SECONDS)

    def perform(self, action: Action):
        # A capture can catch the app mid-draw, and the driver may then press a
        # key the app refuses (completing a zone already complete). A refusal
        # records nothing, so the driver looks again and decides anew; only a
        # run of refusals is a failure.
        # Likewise a key pressed on a dialog that had already closed (a stale
        # capture) does nothing at all: after a few quiet seconds the driver
        # looks again. A stuck app still fails: six misses in a row.
        notices_before = refusal_notices(self.look())
        self.send(action)
        limit = KEY_MISSED_SECONDS if action.timeout == STEP_SECONDS else action.timeout
        deadline = time.monotonic() + limit
        while True:
            screen = self.look()
            if action.done(screen) or refusal_notices(screen) - notices_before or time.monotonic() > deadline:
                break
            time.sleep(POLL_SECONDS)
        if not action.done(screen):
            self.refusals_in_a_row += 1
            if self.refusals_in_a_row > 5:
                raise Failure(f"'{action.name}' did not take effect six times in a row", screen=screen)
        else:
            self.refusals_in_a_row = 0
        if action.after:
            action.after()

    def drive_until_a_kill(self):
        steps_left = self.rng.randint(1, MOST_STEPS_BEFORE_A_KILL)
        while True:
            screen, action = self.next_step()
            steps_left -= 1
            if steps_left == 0:
                self.kill_during(screen, action)
                return
            self.perform(action)

    def rotate_data_directory(self):
        """Quits the app on the start screen, checks every log of the data
        directory once more, and goes on in a fresh one."""
        self.tmux.send(self.app_name, [key("q")])
        self.wait_until("the quit question", lambda s: "Quit Trillium?" in s)
        self.tmux.send(self.app_name, [key("y")])
        self.wait_until("the app to quit", lambda s: exit_status(s) == 0)
        self.check_every_log()
        shutil.rmtree(self.data)
        self.data = self.new_data_directory()
        self.launch([])

    def check_every_log(self):
        for name in sorted(self.log_names()):
            path = os.path.join(self.data, name)
            check = check_chain(path)
            # Valid, or torn with nothing saved (killed between the file's creation and its first record).
            if not (check.status == "valid" or (check.status == "torn" and not check.records)):
                code, output = run_verify(self.binary, path)
                raise Failure(f"a log of this run is {check.status} at the final check: {check.problem}",
                              verify_output=output, log_path=path)
            self.figures.logs_checked_at_rotation += 1

    # -- the kill and its checks

    def kill_during(self, screen: str, action: Action):
        phase = phase_of(screen)
        if self.rng.random() < 0.35:
            # Between key presses: the last step is done and shown, nothing is being written.
            moment = f"between keys, before '{action.name}'"
            self.figures.kills_between_keys += 1
        else:
            # A random moment after a key: mostly 0-300 ms, and a third of the
            # time within 15 ms, while the record is most likely being written and synced.
            delay = self.rng.uniform(0, 0.3) if self.rng.random() < 0.67 else self.rng.uniform(0, 0.015)
            self.send(action)
            self.watch_for(delay)
            moment = f"{delay * 1000:.0f} ms after '{action.name}'"
            self.figures.kills_after_a_key += 1
        if self.app_pid is None:
            raise Failure("there is no app to kill", screen=self.look())
        screen_before_kill = self.last_screen
        os.kill(self.app_pid, signal.SIGKILL)
        self.figures.kills += 1
        self.last_kill = f"kill {self.figures.kills}: {phase}, {moment}"
        # What the app drew before it died is still evidence: look at it once more.
        screen_after_kill = self.wait_until("the killed app's exit", lambda s: exit_status(s) is not None)
        if exit_status(screen_after_kill) != 137:
            raise Failure(f"the app did not die of SIGKILL (EXIT={exit_status(screen_after_kill)})",
                          screen=screen_after_kill)
        report = self.check_after_kill(screen_before_kill)
        self.figures.passed += 1
        if self.verbose:
            print(f"{self.last_kill}; {report}", flush=True)
        elif self.figures.kills % 50 == 0:
            print(f"... {self.figures.kills} kills", flush=True)

    def find_log(self, session: SessionTrack) -> Optional[str]:
        if session.log_path is None:
            new = sorted(self.log_names() - session.logs_before)
            if len(new) > 1:
                raise Failure(f"one session made several logs: {new}")
            if new:
                session.log_path = os.path.join(self.data, new[0])
        return session.log_path

    def check_after_kill(self, screen_before_kill: str) -> str:
        session = self.session
        log_path = self.find_log(session) if session else None
        shown = session.highest_saved if session else 0
        check = None
        if log_path is None:
            if shown:
                raise Failure(f"saved #{shown} was shown (below) but the session has no log",
                              screen=session.highest_saved_screen)
            resumable = False
        else:
            check = self.check_log(log_path, shown, session, screen_before_kill)
            resumable = bool(check.records) and check.records[-1]["type"] not in SEALED_TYPES
            if check.records and check.records[-1]["type"] == "session.signed" and not session.counted_complete:
                session.counted_complete = True  # signed before the screen could say so
                self.figures.sessions_completed += 1
        summary = f"saved #{shown} shown, log {len(check.records) if check else 0} records"
        if check and check.status == "torn":
            summary += f" + torn tail of {len(check.tail)} bytes"
        return summary + "; " + self.resume_after_kill(session, log_path, check, resumable)

    def check_log(self, log_path: str, shown: int, session: SessionTrack, screen_before_kill: str) -> ChainCheck:
        code, output = run_verify(self.binary, log_path)
        check = check_chain(log_path)

        def fail(message, screen=screen_before_kill):
            raise Failure(message, screen=screen, verify_output=output, log_path=log_path)

        if code not in (0, 1) or "corrupt" in output:
            fail(f"verify says the log is corrupt or unreadable (exit {code})")
        if check.status == "corrupt":
            fail(f"the chain check finds the log corrupt: {check.problem}")
        if code == 0:
            match = re.search(r": valid \(\w+\), (\d+) records?", output)
            if not match or check.status != "valid":
                fail(f"verify says valid, the chain check says {check.status} ({check.problem})")
        else:
            match = re.search(r"torn tail: .*; (\d+) valid records? before it", output)
            if not match or check.status != "torn":
                fail(f"verify exits 1 without a torn tail, or the chain check says {check.status}")
            self.figures.torn_tails += 1
        if int(match.group(1)) != len(check.records):
            fail(f"verify counts {match.group(1)} valid records, the chain check {len(check.records)}")
        if len(check.records) < shown:
            fail(f"saved #{shown} was shown (below) but the log holds only {len(check.records)} valid records",
                 screen=session.highest_saved_screen)
        if check.digests[:len(session.known_digests)] != session.known_digests:
            fail(f"records seen at an earlier check changed (the log had {len(session.known_digests)} then)")
        session.known_digests = list(check.digests)
        self.figures.records_checked += len(check.records)
        return check

    def resume_after_kill(self, session, log_path, check, resumable) -> str:
        screen = self.launch(["resume"])
        if not resumable:
            # Nothing of the session was saved, or it was sealed already: nothing to resume.
            screen = self.wait_until("resume to exit", lambda s: exit_status(s) is not None)
            if exit_status(screen) != 1 or "no unfinished session" not in screen:
                raise Failure("resume should have found no unfinished session", screen=screen, log_path=log_path)
            self.figures.nothing_to_resume += 1
            self.session = None
            self.launch([])
            return "nothing to resume, new app"

        screen = self.wait_until("resume to open the session or exit",
                                 lambda s: exit_status(s) is not None or saved_number(s) is not None)
        code, output = run_verify(self.binary, log_path)

        def fail(message):
            raise Failure(message, screen=screen, verify_output=output, log_path=log_path)

        if exit_status(screen) is not None or not status_line(screen).startswith(f" {session.patient} ·"):
            fail(f"resume did not reopen the session of {session.patient}")
        repaired = check.status == "torn"
        expected = len(check.records) + (1 if repaired else 0)
        resumed = saved_number(screen)
        if resumed != expected:
            fail(f"resume shows saved #{resumed}, the log had {len(check.records)} valid records"
                 + (" and a torn tail (so a log.repaired record was due)" if repaired else ""))
        after = check_chain(log_path)
        if code != 0 or after.status != "valid" or len(after.records) != resumed:
            fail(f"after resume the log is {after.status} with {len(after.records)} records, "
                 f"the screen shows saved #{resumed}")
        if after.digests[:len(check.digests)] != check.digests:
            fail("resume changed records that were in the log")
        if repaired:
            self.check_repair(log_path, check, after.records[-1], fail)
        session.known_digests = list(after.digests)
        session.note_added = any(r["type"] == "note.added" for r in after.records)
        self.figures.resumes += 1
        return f"resumed at saved #{resumed}" + (" with log.repaired" if repaired else "")

    def check_repair(self, log_path: str, before: ChainCheck, record: dict, fail):
        """A torn tail resumed: the bytes cut off are kept beside the log and
        the cut is recorded as `log.repaired`."""
        if record["type"] != "log.repaired":
            fail(f"the torn tail was resumed without a log.repaired record (the record after it is {record['type']})")
        data = record.get("data", {})
        if data.get("truncated_at") != before.valid_length or data.get("dropped_bytes") != len(before.tail):
            fail(f"log.repaired says {data}, the torn tail was {len(before.tail)} bytes at {before.valid_length}")
        backup = os.path.join(os.path.dirname(log_path), str(data.get("backup")))
        try:
            with open(backup, "rb") as f:
                if f.read() != before.tail:
                    fail(f"the backup {backup} does not hold the bytes cut off")
        except OSError as error:
            fail(f"the backup named in log.repaired cannot be read: {error}")

    # -- the whole run

    def measure_memory(self, sessions: int) -> int:
        """Drives one app, never killed, through `sessions` whole sessions and
        prints its peak resident memory (VmHWM): the app's memory as it runs,
        terminal and all, for the benchmark."""
        self.write_short_dwell_protocol()
        self.launch([])
        while self.figures.sessions_completed < sessions:
            _, action = self.next_step()
            self.perform(action)
        with open(f"/proc/{self.app_pid}/status") as f:
            peak = next(line for line in f if line.startswith("VmHWM:"))
        print(f"app peak resident memory: {int(peak.split()[1]) / 1024:.1f} MB after {sessions} sessions", flush=True)
        self.check_every_log()
        return 0

    def run(self) -> int:
        started = time.monotonic()
        self.write_short_dwell_protocol()
        self.launch([])
        while self.figures.kills < self.kills_wanted:
            self.drive_until_a_kill()
        self.check_every_log()
        self.print_figures(time.monotonic() - started)
        return 0

    def print_figures(self, elapsed: float):
        f = self.figures
        print(f"seed:                      {self.seed}")
        print(f"kills:                     {f.kills} ({f.kills_between_keys} between keys, "
              f"{f.kills_after_a_key} 0-300 ms after a key)")
        print(f"kills that left torn tail: {f.torn_tails}")
        print(f"records checked:           {f.records_checked}")
        print(f"sessions completed:        {f.sessions_completed}")
        print(f"resumes:                   {f.resumes} (and {f.nothing_to_resume} kills with nothing to resume)")
        print(f"logs checked again:        {f.logs_checked_at_rotation}")
        print(f"elapsed:                   {elapsed:.1f} s")
        print(f"kill loop: {f.passed} passed, {f.failed} failed", flush=True)

    def clean_up(self):
        self.tmux.kill_server()
        # The killed server hangs up on the last app: let it go before the directory does.
        if self.app_pid:
            deadline = time.monotonic() + 5
            while os.path.exists(f"/proc/{self.app_pid}") and time.monotonic() < deadline:
                time.sleep(POLL_SECONDS)
        if self.keep_workspace:
            print(f"kept for examination: {self.workspace}", flush=True)
        else:
            shutil.rmtree(self.workspace, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description="SIGKILL Trillium at random moments and check that nothing shown "
                                                 "as saved is lost and every session resumes.")
    parser.add_argument("--binary", default=DEFAULT_BINARY, help=f"the trillium executable (default {DEFAULT_BINARY})")
    parser.add_argument("--kills", type=int, default=50, help="how many kills to make (default 50)")
    parser.add_argument("--seed", type=int, default=None, help="the random seed (default: from the clock, printed)")
    parser.add_argument("--verbose", "-v", action="store_true", help="one line per kill")
    parser.add_argument("--memory", type=int, metavar="SESSIONS", default=None,
                        help="no kills: drive one app through SESSIONS whole sessions and print its peak resident memory")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("kill_loop: tmux is needed", file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else int(time.time() * 1000) % 1_000_000

    # Ctrl-C, SIGTERM and SIGHUP end the run through the finally below (SIGINT
    # too when started in the background, where the shell ignores it for us).
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)

    loop = KillLoop(Binary(os.path.abspath(args.binary)), args.kills, seed, args.verbose)
    started = time.monotonic()
    try:
        return loop.measure_memory(args.memory) if args.memory is not None else loop.run()
    except Failure as failure:
        loop.figures.failed += 1
        loop.keep_workspace = True
        print(f"\nFAILED: {failure.message}")
        if loop.last_kill:
            print(f"at {loop.last_kill}")
        if failure.screen:
            print("--- the screen (before the kill, for a check after one) ---\n" + failure.screen.rstrip("\n"))
        if failure.verify_output:
            print("--- trillium verify ---\n" + failure.verify_output)
        print(f"log: {failure.log_path or (loop.session.log_path if loop.session else None)}")
        print(f"data directory: {loop.data}")
        loop.print_figures(time.monotonic() - started)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted")
        loop.print_figures(time.monotonic() - started)
        return 130
    finally:
        # A second Ctrl-C must not cut the clean-up short.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        loop.clean_up()


if __name__ == "__main__":
    sys.exit(main())
