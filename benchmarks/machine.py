"""What the benchmarks print about the machine they ran on."""
import os
import platform


def cpu_name():
    """The CPU's model name, as /proc/cpuinfo gives it."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe():
    """'CPU, N cores, load average L': the line a benchmark starts with."""
    return (f"{cpu_name()}, {os.cpu_count()} cores, load average "
            f"{os.getloadavg()[0]:.1f}")
