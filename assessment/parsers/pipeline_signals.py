"""What a CI/CD job does, judged from its names, shell commands, actions and images; and the facts a pipeline
yields. Shared by the GitLab, GitHub Actions and Jenkins readers. Pure; no regular expression here backtracks.

Text is cut into lower-case tokens (`./gradlew test` -> gradlew, test; `github/codeql-action/analyze@v3` ->
github, codeql-action, codeql, action, analyze, v3). A signature is a tuple of alternative sets: it matches
when the tokens meet every set. Names (jobs, stages, steps) and commands have separate vocabularies, so a
step named "test" counts while `cd test/` does not.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assessment.parsers.base import Fact

CATEGORIES = ("build", "test", "lint", "security_scan", "deploy", "db_migration")
MAX_LINE = 4096  # characters of one command line that are looked at
MAX_ENVIRONMENT_NAME = 100

_WHOLE = re.compile(r"[^a-z0-9_.\-]+")
_PARTS = re.compile(r"[-_.]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_LOCAL_INSTALL = re.compile(r"publishToMavenLocal", re.IGNORECASE)
_LINT_STEMS = ("spotbugs", "checkstyle", "spotless", "golangci", "ktlint", "detekt", "scalafmt", "scalastyle")


def _sig(*alternatives: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(words.split()) for words in alternatives)


# Publishing a release, package, image or site is a deployment (to a registry, a channel or a web host);
# publishing test results or build logs is not, so "publish" needs a word that says what is published.
_PUBLISH = _sig(
    "publish publishes publishing",
    "release releases package packages registry nightly nightlies pages docs site snapshot snapshots incrementals "
    "image images flatpak",
)


_NAME_SIGNATURES = {
    "build": [_sig("build builds building compile assemble package packaging flatpak")],
    "test": [_sig("test tests testing unittest unittests e2e pytest junit rspec smoke")],
    "lint": [
        _sig(
            "lint linter linters linting checkstyle sonar sonarqube sonarcloud codequality quality cppcheck shellcheck"
        ),
        _sig("style format formatting static", "check checks checker scan analysis analyse analyze"),
    ],
    "security_scan": [
        _sig("security sast dast vulnerability vulnerabilities vuln cve trivy snyk codeql semgrep bandit gitleaks"),
        _sig("dependency container secret", "scanning scan detection"),
    ],
    "deploy": [_sig("deploy deploys deployment deploying rollout"), _PUBLISH],
    "db_migration": [_sig("migrate migration migrations flyway liquibase alembic")],
}

_COMMAND_SIGNATURES = {
    "build": [
        _sig("docker podman nerdctl buildah", "build buildx bud"),
        _sig("kaniko build-push-action goreleaser jib bootjar shadowjar msbuild flatpak-builder"),
        _sig("mvn mvnw", "package install compile verify"),
        _sig("gradle gradlew", "build assemble jar bootjar"),
        _sig("npm yarn pnpm bun go cargo dotnet bazel poetry uv hatch pdm ng sbt python python3 make", "build"),
        _sig("mix sbt", "compile release assembly"),
        _sig("setup.py", "sdist bdist_wheel"),
        _sig("dotnet", "publish"),
    ],
    "test": [
        _sig(
            "pytest py.test tox nox jest vitest mocha karma jasmine phpunit rspec cucumber cypress ctest nosetests "
            "unittest behave newman gotestsum junitxml test-reporter action-junit-report surefire failsafe"
        ),
        _sig("mvn mvnw", "test verify"),
        _sig("gradle gradlew gradlewall", "test check integrationtest unittest"),
        _sig("meson ninja", "test"),
        _sig(
            "npm yarn pnpm bun deno go cargo dotnet mix swift flutter dart sbt lein bazel make rake manage.py",
            "test tests spec",
        ),
        _sig("coverage", "run"),
    ],
    "lint": [
        _sig(
            "ruff flake8 pylint eslint tslint stylelint prettier black isort mypy pyright checkstyle pmd spotbugs "
            "golangci-lint golint staticcheck revive shellcheck hadolint yamllint markdownlint tflint ktlint detekt "
            "rubocop phpcs phpstan psalm clippy rustfmt gofmt sonar-scanner sonar sonarqube sonarcloud super-linter "
            "pre-commit lint linter cppcheck clang-tidy swiftlint spotless scalafmt scalastyle"
        ),
        _sig("go", "vet"),
        _sig("cargo", "fmt"),
        _sig("apache-rat rat", "check"),
        _sig(
            "spotbugsmain spotbugstest pmdmain pmdtest checkstylemain checkstyletest spotlesscheck detekt ktlintcheck"
        ),
    ],
    "security_scan": [
        _sig(
            "bandit semgrep trivy snyk codeql dependency-check gitleaks grype trufflehog checkov tfsec kics gosec "
            "brakeman govulncheck coverity cov-build pip-audit osv-scanner detect-secrets horusec zap-baseline "
            "zap-full-scan zaproxy "
            "dependency-review-action scorecard-action anchore dockle nancy audit-ci retire owasp nuclei sast dast "
            "secret-detection dependency-scanning container-scanning"
        ),
        _sig("npm yarn pnpm cargo bundle composer", "audit"),
        _sig("safety", "check scan"),
    ],
    "deploy": [
        _sig("kubectl oc", "apply rollout set replace create patch"),
        _sig("helm", "install upgrade"),
        _sig("helmfile", "apply sync"),
        _sig("terraform tofu terragrunt", "apply"),
        _sig("pulumi", "up"),
        _sig("argocd", "sync"),
        _sig("skaffold", "run deploy"),
        _sig("ansible-playbook capistrano k8s-deploy amazon-ecs-deploy-task-definition deploy-pages actions-gh-pages"),
        _sig("webapps-deploy deploy-cloudrun kubernetes-deploy kubernetesdeploy ssh-deploy"),
        _sig("serverless sls vercel netlify firebase fly flyctl wrangler eb cdk sam gcloud az cap", "deploy"),
        _sig("cf", "push"),
        _sig("mvn mvnw", "deploy"),
        _sig("gradle gradlew gradlewall", "publish uploadarchives publishtomavencentral publishplugins"),
        _sig("npm yarn pnpm cargo poetry flit hatch", "publish"),
        _sig("twine", "upload"),
        _sig("gem", "push"),
        _PUBLISH,
        _sig("azurewebapp azurermwebappdeployment azurefunctionapp kubernetesmanifest helmdeploy azurecontainerapps"),
        _sig("aws", "update-service create-deployment update-function-code deploy"),
        _sig("az", "webapp"),
    ],
    "db_migration": [
        _sig("migrate migration migrations flyway liquibase alembic dbmate sqitch db-migrate"),
        _sig("goose", "up"),
        _sig("flask", "db", "upgrade"),
        _sig("ef dotnet-ef", "database", "update"),
    ],
}


def tokens(text: str) -> set[str]:
    """Lower-case words of a name or command: whole pieces, their dotted and hyphenated parts, and the parts of
    camelCase words (`spotlessScalaCheck` -> spotless, scala, check), as Gradle tasks and CI tasks are named."""
    text = text[:MAX_LINE]
    # Gradle's publishToMavenLocal installs into the local repository: its parts must not read as "publish".
    camel = _CAMEL.sub("-", _LOCAL_INSTALL.sub(" ", text))
    return _pieces(text.lower()) | _pieces(camel.lower()) | _stems(text.lower())


def _stems(text: str) -> set[str]:
    """Lint tools named inside a longer word (`-PxmlSpotBugsReport`, `spotlessScalaCheck`) count as the tool."""
    return {stem for stem in _LINT_STEMS if stem in text}


def _pieces(text: str) -> set[str]:
    found: set[str] = set()
    for whole in _WHOLE.split(text):
        if whole:
            found.add(whole)
            found.update(whole.split("."))
            found.update(_PARTS.split(whole))
    found.discard("")
    return found


def _matches(words: set[str], signatures: dict) -> set[str]:
    return {
        category
        for category, options in signatures.items()
        if any(all(words & alternative for alternative in signature) for signature in options)
    }


def name_categories(name: str) -> set[str]:
    """Categories a job, stage or step name suggests ("unit-tests" -> test)."""
    return _matches(tokens(name), _NAME_SIGNATURES)


def command_categories(command: str) -> set[str]:
    """Categories of one shell command line, action reference or image name."""
    return command_token_categories(tokens(command))


def command_token_categories(words: set[str]) -> set[str]:
    """Categories of an already tokenised command (e.g. every word of a Jenkins stage)."""
    return _matches(words, _COMMAND_SIGNATURES)


def command_lines(text: str) -> list[str]:
    """A script's lines, each cut to the length we look at."""
    return [line[:MAX_LINE] for line in text.splitlines() if line.strip()]


@dataclass
class PipelineSummary:
    """What a pipeline definition shows, accumulated job by job, turned into facts at the end."""

    tool: str
    categories: set[str] = field(default_factory=set)
    environments: set[str] = field(default_factory=set)
    stage_count: int = 0
    job_count: int = 0
    manual_gates: int = 0
    caching: bool = False
    artifacts: bool = False
    triggers: dict[str, bool] = field(default_factory=dict)
    extra: dict[str, Fact] = field(default_factory=dict)  # facts only some tools give, e.g. pipeline.syntax

    def add_job(self, *, names: Iterable[str], commands: Iterable[str]) -> None:
        """Adds what one job's names and command lines show."""
        for name in names:
            self.categories |= name_categories(name)
        for command in commands:
            self.categories |= command_categories(command)

    def add_environment(self, name: object, *, deploying: bool = True) -> None:
        """Records a named deployment environment; a job that deploys to it makes the pipeline deploy."""
        text = str(name).strip()[:MAX_ENVIRONMENT_NAME] if isinstance(name, str | int | float) else ""
        if text:
            self.environments.add(text)
            if deploying:
                self.categories.add("deploy")

    def facts(self) -> dict[str, Fact]:
        facts: dict[str, Fact] = {f"pipeline.has_{category}": category in self.categories for category in CATEGORIES}
        facts |= {f"pipeline.triggers.{name}": value for name, value in sorted(self.triggers.items())}
        facts |= {
            "pipeline.stage_count": self.stage_count,
            "pipeline.job_count": self.job_count,
            "pipeline.environments": len(self.environments),
            "pipeline.environment_names": ", ".join(sorted(self.environments)),
            "pipeline.manual_gates": self.manual_gates,
            "pipeline.caching": self.caching,
            "pipeline.artifacts": self.artifacts,
            "pipeline.tool": self.tool,
        }
        return facts | self.extra

    def summary(self) -> str:
        shown = [category.replace("_", " ") for category in CATEGORIES if category in self.categories]
        does = ", ".join(shown) if shown else "no recognised build, test or deploy steps"
        triggers = ", ".join(name.replace("_", " ") for name, on in sorted(self.triggers.items()) if on) or "none"
        return (
            f"{self.tool}: {self.job_count} jobs in {self.stage_count} stages; {does}; triggers: {triggers}; "
            f"{len(self.environments)} environments, {self.manual_gates} manual gates"
        )
