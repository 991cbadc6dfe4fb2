"""What a benchmark ran on: the CPU and the instruction sets that decide kernel speed.

Every speed figure names its CPU: this project's machines change between an
AMD EPYC (AVX-512, AVX-512-BF16) and an Intel Xeon (also AMX), and bfloat16
and oneDNN's kernel choices change with them.
"""

import os
import pathlib
import platform
import sys

# The instruction sets that decide float32 and bfloat16 kernel speed on x86.
CPU_FLAGS = ("avx2", "avx512f", "avx512_bf16", "avx512_fp16", "amx_bf16", "amx_tile", "amx_int8")


def describe():
    """CPU model and flags, CPU counts, memory, platform and Python, as a dict."""
    cpu_model, cpu_flags, memory = platform.processor() or platform.machine(), [], None
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and cpu_model in ("", platform.machine()):
                cpu_model = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not cpu_flags:
                present = set(line.split(":", 1)[1].split())
                cpu_flags = [flag for flag in CPU_FLAGS if flag in present]
        for line in pathlib.Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = int(line.split()[1]) / 2**20
    except OSError:
        pass
    return {
        "cpu_model": cpu_model,
        "cpu_flags": cpu_flags,
        "logical_cpus": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "memory_gigabytes": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def versions():
    """The versions of keras_gan, TensorFlow, Keras and torch (None if not installed)."""
    import keras
    import tensorflow as tf

    import keras_gan

    try:
        import torch

        torch_version = torch.__version__
    except ImportError:
        torch_version = None
    return {
        "keras_gan": keras_gan.__version__,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "torch": torch_version,
    }


def error(message):
    """A benchmark's bad input: one line on stderr, exit status 1."""
    print(f"{sys.argv[0]}: error: {message}", file=sys.stderr)
    sys.exit(1)
