"""How each fact reads to a person, in English and Chinese. Pure data: no ORM, no gettext.

Verdicts store both languages side by side (Verdict.explanation_en and explanation_zh), so the two texts are
written here together rather than through the translation catalogue. Raw fact names never appear in a
sentence: a fact without an entry here reads through `fallback`, which spells its name out in words.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Flag:
    """A yes/no fact: what was looked for, and what a level asks for when it wants one."""

    thing_en: str  # "test job": "Test job found …", "No test job found …"
    thing_zh: str
    asks_en: str  # "automated tests in the pipeline": "level 3 asks for automated tests in the pipeline"
    asks_zh: str


@dataclass(frozen=True)
class Figure:
    """A measured or counted fact: its name, and how its values are written (unit)."""

    name_en: str  # "line coverage"
    name_zh: str
    unit: str = "count"  # a key of UNITS


def _number(value: float) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) >= 0.01 or value == 0 else f"{value:.2g}"


def _percent(value: float) -> str:
    return f"{value:.1%}".replace(".0%", "%")


# unit → (English, Chinese) writers of a value
UNITS = {
    "count": (_number, _number),
    "percent": (_percent, _percent),
    "per_week": (lambda value: f"{_number(value)} a week", lambda value: f"每周 {_number(value)} 次"),
    "per_day": (lambda value: f"{_number(value)} on one day", lambda value: f"单日 {_number(value)} 次"),
    "minutes": (lambda value: f"{_number(value)} min", lambda value: f"{_number(value)} 分钟"),
    "hours": (lambda value: f"{_number(value)} h", lambda value: f"{_number(value)} 小时"),
    "weeks": (
        lambda value: f"{_number(value)} week" + ("" if value == 1 else "s"),
        lambda value: f"{_number(value)} 周",
    ),
    "per_developer_day": (
        lambda value: f"{_number(value)} per developer per working day",
        lambda value: f"每人每个工作日 {_number(value)} 次",
    ),
}

PHRASES: dict[str, Flag | Figure] = {
    "pipeline.has_build": Flag("build job", "构建作业", "an automated build", "自动化构建"),
    "pipeline.has_test": Flag("test job", "测试作业", "automated tests in the pipeline", "流水线中包含自动化测试"),
    "pipeline.has_lint": Flag(
        "lint or static-analysis job", "代码检查或静态分析作业", "automated static analysis", "自动化静态代码分析"
    ),
    "pipeline.has_security_scan": Flag(
        "security-scan job", "安全扫描作业", "automated security checks", "自动化安全漏洞检查"
    ),
    "pipeline.has_deploy": Flag("deploy job", "部署作业", "automated deployment", "自动化部署"),
    "pipeline.has_db_migration": Flag(
        "database-migration job", "数据库变更作业", "database changes run by the pipeline", "由流水线执行数据库变更"
    ),
    "pipeline.triggers.push": Flag(
        "trigger on every push", "代码提交触发", "a build on every commit", "代码提交即触发流水线"
    ),
    "pipeline.triggers.merge_request": Flag(
        "trigger on merge requests", "合并请求触发", "automated checks on every change", "每次变更都经自动化检查"
    ),
    "pipeline.triggers.schedule": Flag("scheduled trigger", "定时触发", "scheduled builds", "定时自动构建"),
    "pipeline.triggers.manual": Flag("manual trigger", "手动触发", "runs on demand", "按需手动运行"),
    "pipeline.caching": Flag("dependency cache", "依赖缓存", "cached dependencies", "缓存依赖"),
    "pipeline.artifacts": Flag("kept artefact", "保存的制品", "artefacts kept by the pipeline", "流水线保存制品"),
    "container.present": Flag(
        "container image definition", "容器镜像定义", "a container image definition", "容器镜像定义"
    ),
    "iac.present": Flag(
        "infrastructure-as-code definition",
        "基础设施即代码定义",
        "infrastructure described as code",
        "以代码描述基础设施",
    ),
    "dockerfile.has_healthcheck": Flag("health check", "健康检查", "a container health check", "容器健康检查"),
    "dockerfile.runs_as_root": Flag(
        "container running as root", "以 root 运行的容器", "containers run as root", "容器以 root 运行"
    ),
    "k8s.has_probes": Flag("health probe on every container", "每个容器的健康探针", "health probes", "健康探针"),
    "k8s.has_resource_limits": Flag(
        "resource limit on every container", "每个容器的资源上限", "resource limits", "资源上限"
    ),
    "pipeline.stage_count": Figure("stages", "阶段数"),
    "pipeline.job_count": Figure("jobs", "作业数"),
    "pipeline.environments": Figure("deployment environments", "部署环境数"),
    "pipeline.manual_gates": Figure("manual approvals", "人工审批数"),
    "junit.tests": Figure("number of tests", "测试用例数"),
    "junit.failures": Figure("failed tests", "失败用例数"),
    "junit.errors": Figure("tests in error", "出错用例数"),
    "junit.skipped": Figure("skipped tests", "跳过用例数"),
    "junit.pass_rate": Figure("test pass rate", "测试通过率", "percent"),
    "coverage.line_rate": Figure("line coverage", "行覆盖率", "percent"),
    "coverage.branch_rate": Figure("branch coverage", "分支覆盖率", "percent"),
    "sarif.runs": Figure("analysis runs", "分析运行次数"),
    "sarif.findings.error": Figure("error-level findings", "错误级问题数"),
    "sarif.findings.warning": Figure("warning-level findings", "警告级问题数"),
    "sarif.findings.total": Figure("findings", "问题总数"),
    "deployments.per_week": Figure("production deployments", "生产部署", "per_week"),
    "deployments.max_per_day": Figure("most production deployments", "生产部署最多", "per_day"),
    "deployments.weeks_without_deployment": Figure(
        "weeks without a production deployment", "无生产部署的周数", "weeks"
    ),
    "deployments.change_fail_rate": Figure("failed production deployments", "生产部署失败率", "percent"),
    "deployments.recovery_hours": Figure("median recovery time", "故障恢复时间中位数", "hours"),
    "deployments.rework_rate": Figure("rework deployments", "返工部署比例", "percent"),
    "deployments.count": Figure("production deployments", "生产部署次数"),
    "incidents.mttr_hours": Figure("median time to resolve incidents", "事件解决时间中位数", "hours"),
    "ci.feedback_minutes": Figure("median time from a red build to green", "构建由失败到恢复的时间中位数", "minutes"),
    "builds.duration_minutes": Figure("median build duration", "构建时长中位数", "minutes"),
    "integration.merges_per_developer_per_day": Figure("trunk merges", "主干合并", "per_developer_day"),
}

# What each kind of evidence is, for saying which files were or were not used.
KINDS = {
    "junit": ("JUnit test report", "JUnit 测试报告"),
    "coverage": ("coverage report", "覆盖率报告"),
    "sarif": ("SARIF analysis report", "SARIF 分析报告"),
    "gitlab_ci": ("GitLab CI pipeline", "GitLab CI 流水线"),
    "github_actions": ("GitHub Actions workflow", "GitHub Actions 工作流"),
    "jenkinsfile": ("Jenkins pipeline", "Jenkins 流水线"),
    "azure_pipelines": ("Azure Pipelines definition", "Azure Pipelines 流水线"),
    "dockerfile": ("Dockerfile", "Dockerfile"),
    "kubernetes": ("Kubernetes manifest", "Kubernetes 清单"),
    "terraform": ("Terraform configuration", "Terraform 配置"),
    "compose": ("Compose file", "Compose 文件"),
    "helm_chart": ("Helm chart definition", "Helm Chart 定义"),
    "helm_values": ("Helm chart values", "Helm Chart 配置值"),
    "ansible": ("Ansible playbook", "Ansible Playbook"),
    "deployments": ("deployment records", "部署记录"),
    "incidents": ("incident records", "事件记录"),
    "metric_snapshot": ("delivery metrics", "交付度量数据"),
}

# Kinds that no machine reads: kept for a person to look at.
FOR_PEOPLE = frozenset({"", "other", "link", "note"})


def fallback(fact: str) -> Figure:
    """A fact with no entry (e.g. from an organisation's own model) spelled out in words, never as a key."""
    words = fact.replace(".", " ").replace("_", " ")
    return Figure(words, words)


def phrase(fact: str) -> Flag | Figure:
    return PHRASES.get(fact) or fallback(fact)


def write_value(figure: Figure, value, *, chinese: bool) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return UNITS.get(figure.unit, UNITS["count"])[1 if chinese else 0](value)
    return str(value)


def kind_name(kind: str, *, chinese: bool) -> str:
    names = KINDS.get(kind)
    return (names[1] if chinese else names[0]) if names else kind
