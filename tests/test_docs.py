"""The README and docs/: every relative link and picture resolves; the flag page is current."""

import os
import re
import subprocess
import sys

from tests.conftest import REPO

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def pages():
    return [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]


def github_anchor(heading):
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    headings = [line.lstrip("#") for line in path.read_text().splitlines() if line.startswith("#")]
    return {github_anchor(h) for h in headings}


def test_every_relative_link_and_picture_resolves():
    broken = []
    for page in pages():
        text = page.read_text()
        # Code blocks hold commands and Python, not links.
        text = re.sub(r"```.*?```", "", text, flags=re.S)
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target):  # https:, mailto:
                continue
            path, _, anchor = target.partition("#")
            resolved = (page.parent / path).resolve() if path else page
            if not resolved.exists():
                broken.append(f"{page.relative_to(REPO)}: {target} (no such file)")
            elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
                broken.append(f"{page.relative_to(REPO)}: {target} (no such heading)")
    assert not broken, "\n".join(broken)


def test_the_link_check_sees_headings_as_github_does():
    assert github_anchor(" Conditional GANs, p(x | c)") == "conditional-gans-px--c"
    assert (
        github_anchor("CIFAR-10 with the newer objectives (`configs/cifar10.cfg`): three seeds")
        == "cifar-10-with-the-newer-objectives-configscifar10cfg-three-seeds"
    )


def test_the_flag_page_is_what_the_scripts_define():
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "write_flag_reference.py"), "--check"],
        cwd=REPO,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:] + done.stdout[-2000:]
    page = (REPO / "docs" / "flags.md").read_text()
    from keras_gan.train import TrainConfig

    for field in TrainConfig.__dataclass_fields__:
        assert f"--{field}:" in page or f"--[no]{field}:" in page, field


def documented_training_commands():
    """(page, arguments) of every `scripts/train.py` command in a shell block of the pages,
    continuation lines joined, comments dropped, a shell variable read as 0 (a loop's seed);
    absl's --help flags are left out."""
    import shlex

    commands = []
    for page in pages():
        for block in re.findall(r"```(?:bash|sh)\n(.*?)```", page.read_text(), flags=re.S):
            for line in block.replace("\\\n", " ").splitlines():
                if "scripts/train.py" not in line:
                    continue
                command = line.split("scripts/train.py", 1)[1]
                command = re.sub(r"\$\{?\w+\}?", "0", command)  # a loop's $seed: one value
                words = shlex.split(command, comments=True)
                arguments = []
                for word in words:
                    if word in {"|", "&", "&&", ";", ">", ">>", "2>&1"} or word[0] in "|&;>":
                        break
                    arguments.append(word)
                help_only = {"--help", "--helpfull", "--helpshort"} & set(arguments)
                if not help_only:
                    commands.append((page.relative_to(REPO), arguments))
    return commands


def test_every_documented_training_command_is_accepted(monkeypatch):
    # A flag that later became refused (e.g. another model family's flag) would leave a
    # page whose command fails when pasted; flagfiles are read from the repository root.
    from absl import flags

    from keras_gan.train import cli

    monkeypatch.chdir(REPO)
    commands = documented_training_commands()
    assert len(commands) >= 20, commands
    refused = []
    for page, arguments in commands:
        flag_values = flags.FlagValues()
        cli.define_flags(flag_values)
        try:
            flag_values(["train.py", *arguments])
            cli.config_from_flags(flag_values).validate()
        except (ValueError, flags.Error) as error:
            refused.append(f"{page}: {' '.join(arguments)}\n    {error}")
    assert not refused, "\n".join(refused)
