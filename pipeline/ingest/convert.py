"""Legacy office formats (.doc, .wps, .rtf, .odt): LibreOffice headless converts them to .docx, which
`docx.py` then reads, so Word numbering and tables survive as they do for .docx.

One conversion is one `soffice --headless --convert-to docx` process in a temporary folder of its own, with
its own user profile (`-env:UserInstallation`), so concurrent workers never share LibreOffice's profile lock,
and nothing outside that folder is read or written; `HOME` points there too. LibreOffice opens no network
connection to convert a local file. A conversion that runs longer than `settings.CONVERT_TIMEOUT` is killed
with its whole process group (`soffice` starts `soffice.bin`) and reported as `conversion_failed`, as is a
crash or an empty result; the batch goes on. `settings.SOFFICE` (`PLANS_SOFFICE`) names the program.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .. import settings
from ..errors import InputError
from ..model import RawText
from .docx import read_docx

INSTALL_HINT = "install LibreOffice: apt-get install libreoffice-writer-nogui (or set PLANS_SOFFICE)"
SUFFIX = {"doc": ".doc", "wps": ".wps", "rtf": ".rtf", "odt": ".odt"}


def soffice() -> str:
    """The LibreOffice program to run, or `converter_missing` naming how to install it."""
    found = shutil.which(settings.SOFFICE)
    if not found:
        raise InputError("converter_missing", f"{settings.SOFFICE!r} not found: {INSTALL_HINT}")
    return found


def to_docx(data: bytes, fmt: str, timeout: float | None = None) -> bytes:
    """Bytes of a .doc/.wps/.rtf/.odt file -> the bytes of the .docx LibreOffice makes of it."""
    program = soffice()
    timeout = settings.CONVERT_TIMEOUT if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="plans-convert-") as tmp:
        work = Path(tmp)
        src = work / f"input{SUFFIX[fmt]}"
        src.write_bytes(data)
        out = work / "out"
        cmd = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--invisible",
               "--nologo", "--norestore", "--nodefault", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
               "--outdir", str(out), str(src)]
        env = {**os.environ, "HOME": str(work), "TMPDIR": str(work)}
        try:
            proc = subprocess.Popen(cmd, cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        except OSError as e:
            raise InputError("converter_missing", f"{program}: {e.strerror or e}: {INSTALL_HINT}") from None
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise InputError("conversion_failed", f"LibreOffice did not finish within {timeout:g} s "
                                                  f"(killed)") from None
        finally:
            _kill(proc)  # anything the converter left behind in its process group
        result = out / "input.docx"
        message = " ".join(output.decode("utf-8", "replace").split())[-200:]
        if proc.returncode != 0:
            raise InputError("conversion_failed", f"LibreOffice exited with {_status(proc.returncode)}"
                                                  + (f": {message}" if message else ""))
        if not result.is_file() or result.stat().st_size == 0:
            raise InputError("conversion_failed", "LibreOffice wrote no document"
                                                  + (f": {message}" if message else " (unreadable input?)"))
        return result.read_bytes()


def _kill(proc: subprocess.Popen) -> None:
    """Kill the converter's whole process group (it was started in a session of its own)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _status(code: int) -> str:
    return f"signal {-code} ({signal.Signals(-code).name})" if code < 0 else f"status {code}"


def read_converted(data: bytes, fmt: str) -> RawText:
    """Bytes of a legacy office document -> RawText read from its .docx conversion (format kept)."""
    raw = read_docx(to_docx(data, fmt))
    raw.format = fmt
    return raw


def read_doc(data: bytes) -> RawText:
    return read_converted(data, "doc")


def read_wps(data: bytes) -> RawText:
    return read_converted(data, "wps")


def read_rtf(data: bytes) -> RawText:
    return read_converted(data, "rtf")


def read_odt(data: bytes) -> RawText:
    return read_converted(data, "odt")
