"""Refresh the app's screenshots in docs/screenshots/ (SHOTS) by running the browser tests that take them.

    python scripts/screenshots.py

Needs Debian's Chromium (`bash scripts/install-browser.sh`) and playwright==1.65.2. The tests
build the seed index from rag/data/sample, serve `app.py` on a free 127.0.0.1 port and copy the
screenshots of the chat with an open citation, a follow-up, the Corpus tab after an upload, the 2021-W08
briefing, the Events tab and the Events tab on a 320 px phone screen here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / "docs" / "screenshots"
SHOTS = ("chat.png", "chat-follow-up.png", "corpus.png", "briefing.png", "events.png", "events-phone.png")
TESTS = ("test_chat_answer_with_checkable_rtl_citation", "test_briefing_for_2021_w08", "test_events_tab",
         "test_upload_good_file_is_listed", "test_follow_up_copy_reload_abstain_and_clear", "test_narrow_screen_events_table")


def main() -> int:
    """Run the screenshot-taking browser tests with RAGUI_SCREENSHOTS_DIR pointing at docs/screenshots."""
    env = dict(os.environ, RAGUI_SCREENSHOTS_DIR=str(DEST))
    cmd = [sys.executable, "-m", "pytest", "tests/ui/test_app_browser.py", "-q", "-x", "-p", "no:cacheprovider",
           "-k", " or ".join(TESTS)]
    code = subprocess.call(cmd, cwd=ROOT, env=env)
    if code == 0:
        for name in SHOTS:
            print(f"{'wrote' if (DEST / name).exists() else 'MISSING'} {DEST / name}")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
