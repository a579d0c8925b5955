from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.catalog.problems import CatalogFileError
from assessment.services.catalog import CatalogVersionConflict, load_catalog_file


class Command(BaseCommand):
    help = "Validate a maturity-model catalogue file (YAML) and load it; loading the same file again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="catalogue file, e.g. assessment/catalogs/caict-devops.yaml")

    def handle(self, *args, file: Path, **options):
        try:
            outcome = load_catalog_file(path=file)
        except CatalogFileError as error:
            for problem in error.problems:
                self.stderr.write(problem.format(str(file)))
            raise CommandError(f"{len(error.problems)} problem(s) found; nothing was loaded.") from None
        except CatalogVersionConflict as error:
            raise CommandError(str(error)) from None
        model = outcome.model
        verb = "Loaded" if outcome.created else "Already loaded, unchanged:"
        self.stdout.write(
            f"{verb} {model.key} {model.version}: {model.parts.count()} parts, "
            f"{model.criteria.values('subitem').distinct().count()} assessable sub-items, "
            f"{model.criteria.count()} criteria."
        )
