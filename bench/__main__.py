"""`make bench`: run every benchmark and print its figures."""

from bench import calendar_bench, cases_bench, metrics_bench


def main() -> None:
    for module in (calendar_bench, cases_bench, metrics_bench):
        print(f"== {module.__name__} ==")
        module.main()


if __name__ == "__main__":
    main()
