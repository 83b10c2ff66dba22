"""Refresh docs/screenshots/chat.png, briefing.png, events.png and chat-follow-up.png by running the browser tests that take them.

    python scripts/screenshots.py

Needs Debian's Chromium (`bash scripts/install-browser.sh`) and playwright==1.65.2. The tests
build the seed index from rag/data/sample, serve `app.py` on a free 127.0.0.1 port and copy the
screenshots of the chat with an open citation, the 2021-W08 briefing, the events tab and a follow-up here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / "docs" / "screenshots"


def main() -> int:
    """Run the two screenshot-taking browser tests with RAGUI_SCREENSHOTS_DIR pointing at docs/screenshots."""
    env = dict(os.environ, RAGUI_SCREENSHOTS_DIR=str(DEST))
    cmd = [sys.executable, "-m", "pytest", "tests/ui/test_app_browser.py", "-q", "-x", "-p", "no:cacheprovider",
           "-k", "test_chat_answer_with_checkable_rtl_citation or test_briefing_for_2021_w08 or test_events_tab"
           " or test_follow_up_copy_reload_abstain_and_clear"]
    code = subprocess.call(cmd, cwd=ROOT, env=env)
    if code == 0:
        for name in ("chat.png", "briefing.png", "events.png", "chat-follow-up.png"):
            print(f"{'wrote' if (DEST / name).exists() else 'MISSING'} {DEST / name}")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
