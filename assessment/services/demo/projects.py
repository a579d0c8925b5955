"""Demo Telecom's projects and their rounds (see story.py for what the fields mean), and the other organisation's
one project. Names and descriptions are data: both languages, as a bilingual organisation would write them."""

from assessment.services.demo.story import (
    BRANCH_NOTE,
    NIGHTLY_JOB,
    RELEASE_NOTE,
    DemoProject,
    Exhibit,
    Round,
    dashboard,
    files,
)
from assessment.services.demo.story import State as S
from assessment.services.demo.story import levels as L

ONLINE_HALL = DemoProject(
    "demo-telecom",
    "网上营业厅 Online service hall",
    "面向个人用户的网上营业厅（Java 微服务，Kubernetes，持续部署）。The customer-facing online service hall: Java "
    "microservices on Kubernetes, deployed continuously.",
    4,
    ("team", "wang.fang", "li.na", "zhang.wei"),
    (
        Round(
            4,
            L(3, 3, 3, 3, 3, 3, 3),
            S.PUBLISHED,
            started=300,
            submitted=280,
            published=262,
            partly=("cd.bci.ci.feedback", "cd.drm.mode.strategy"),
            exhibits=(
                *files("online-hall.gitlab-ci.yml", "surefire-flaky-quarkus.xml"),
                *files("microservices-demo-frontend.Dockerfile"),
                BRANCH_NOTE,
            ),
            rejections={
                "cd.mf.metrics.update@3": "度量数据仍由人工每月整理一次。 The figures are still compiled by hand."
            },
        ),
        Round(
            4,
            L(4, 4, 4, 4, 4, 4, 4),
            S.PUBLISHED,
            started=80,
            submitted=55,
            published=38,
            lower={"cd.mf.improve.feedback": 3},
            partly=("cd.mf.improve.feedback",),
            exhibits=(
                *files("jacoco-gradle-testreport.xml", "trivy-alpine-310.sarif"),
                *files("microservices-demo-k8s-frontend.yaml", "microservices-demo-ci-main.tf"),
                dashboard("online-hall"),
            ),
        ),
    ),
)
IOT = DemoProject(
    "demo-telecom",
    "物联网平台 IoT platform",
    "设备接入与管理平台（Go 服务，边缘网关固件为 C）。Device connectivity and management: Go services and C firmware "
    "for edge gateways.",
    4,
    ("team", "zhou.tao", "wu.xia", "xu.bin"),
    (
        Round(
            4,
            L(3, 2, 2, 2, 3, 2, 2),
            S.PUBLISHED,
            started=240,
            submitted=222,
            published=210,
            exhibits=files("prometheus-ci.github.yml", "go-junit-report-001.xml", "prometheus.Dockerfile"),
        ),
        Round(
            4,
            L(3, 3, 3, 3, 4, 3, 3),
            S.PUBLISHED,
            started=70,
            submitted=45,
            published=28,
            partly=("cd.tm.layer.method", "cd.drm.mode.quality"),
            exhibits=(
                *files("iot-delivery.github.yml", "gcovr-simple-cobertura.xml", "go-junit-report-013.xml"),
                *files("prometheus-pushgateway-helm-Chart.yaml", "prometheus-pushgateway-helm-values.yaml"),
                dashboard("iot-platform"),
            ),
        ),
    ),
)
CUSTOMER_SERVICE = DemoProject(
    "demo-telecom",
    "客服系统 Customer service system",
    "呼叫中心与在线客服工单系统（PHP 与 Java，Jenkins）。Call-centre and online support ticketing: PHP and Java "
    "services built by Jenkins.",
    3,
    ("team", "huang.min", "zhu.hong", "hu.jun"),
    (
        Round(
            3,
            L(2, 2, 1, 2, 2, 1, 1),
            S.PUBLISHED,
            started=310,
            submitted=290,
            published=268,
            partly=("cd.tm.auto.execution",),
            exhibits=files("apache-struts-declarative.Jenkinsfile"),
            requests={
                "cd.tm.auto.execution@2": "请附上最近一次自动化测试的执行结果。 Please attach the results of "
                "the latest automated test run."
            },
            replies={"cd.tm.auto.execution@2": "已附上 PHPUnit 的 JUnit 报告。 Attached the PHPUnit JUnit report."},
            reply_exhibits=(Exhibit(file="phpunit-dorny.xml", criteria=("cd.tm.auto.execution@2",)),),
        ),
        Round(
            3,
            L(3, 2, 2, 2, 2, 2, 2),
            S.PUBLISHED,
            started=100,
            submitted=80,
            published=62,
            partly=("cd.tm.auto.execution", "cd.data.test.coverage"),
            exhibits=(
                *files("gitleaks-simple.sarif", "netbox-docker.compose.yml"),
                NIGHTLY_JOB,
                dashboard("customer-service"),
            ),
            overrides=dict.fromkeys(
                ("cd.bci.build.schedule@2", "cd.bci.ci.mode@2"),
                "夜间构建由 Jenkins 定时任务 nightly-regression 执行，已核对其构建历史。 Nightly builds run as "
                "the Jenkins job nightly-regression; its build history was checked.",
            ),
        ),
    ),
)
MARKETING = DemoProject(
    "demo-telecom",
    "营销平台 Marketing platform",
    "精准营销与活动管理（Node.js，Azure Pipelines）。Targeted marketing and campaign management: Node.js services "
    "built on Azure Pipelines.",
    3,
    ("team", "yang.lei", "guo.qiang", "li.na", "zhou.tao"),
    (
        Round(
            3,
            L(2, 2, 2, 1, 2, 2, 1),
            S.PUBLISHED,
            started=205,
            submitted=188,
            published=172,
            partly=("cd.drm.mode.strategy",),
            exhibits=files(
                "tailspin-spacegame.azure-pipelines.yml", "mocha-latex-utensils.xml", "mac-dev-playbook-main.yml"
            ),
        ),
        Round(
            3,
            L(3, 3, 2, 2, 2, 2, 2),
            S.DRAFT,
            started=18,
            unanswered=("cd.env", "cd.data", "cd.mf"),
            exhibits=(*files("cobertura-istanbul.xml"), BRANCH_NOTE),
        ),
    ),
)
BILLING = DemoProject(
    "demo-telecom",
    "计费系统 Billing system",
    "话费批价与出账（C++ 批价引擎与 Java 服务，Jenkins，月度发布窗口）。Rating and billing: a C++ rating engine "
    "and Java services built by Jenkins, released in a monthly change window.",
    3,
    ("team", "zhang.wei", "liu.yang", "chen.jing", "xu.bin", "ma.chao", "zhu.hong"),
    (
        Round(
            3,
            L(2, 1, 1, 1, 1, 2, 1),
            S.PUBLISHED,
            started=285,
            submitted=262,
            published=245,
            exhibits=(*files("apache-maven-declarative.Jenkinsfile", "surefire-circle.xml"), RELEASE_NOTE),
        ),
        Round(
            3,
            L(2, 2, 2, 2, 2, 2, 1),
            S.CHANGES_REQUESTED,
            started=60,
            submitted=30,
            partly=("cd.bci.ci.feedback",),
            exhibits=(
                *files("billing.Jenkinsfile", "gcovr-nested-jacoco.xml", "netbox-docker.Dockerfile"),
                dashboard("billing"),
            ),
            requests={
                "cd.drm.mode.process@2": "上线审批记录在哪里？请附一张变更单的链接。 Where are release approvals "
                "recorded? Please link one change ticket.",
                "cd.tm.layer.method@2": "单元测试与接口测试如何分层？请附测试报告。 How are unit and API tests "
                "layered? Please attach a test report.",
                "cd.data.change.process@2": "数据库变更脚本是否纳入版本控制？ Are database change scripts under "
                "version control?",
            },
            replies={
                "cd.tm.layer.method@2": "批价引擎的单元测试报告已附在本项，接口测试报告下周补充。 The rating engine's "
                "unit test report is attached; the API test report follows next week."
            },
            reply_exhibits=(
                Exhibit(
                    url="https://jenkins.demo-telecom.example/job/billing-rating/lastCompletedBuild/testReport/",
                    name="批价引擎测试报告 Rating engine test report",
                    criteria=("cd.tm.layer.method@2",),
                ),
            ),
        ),
    ),
)
DATA = DemoProject(
    "demo-telecom",
    "数据中台 Data platform",
    "统一数据采集、治理与数据服务（Python，GitHub Actions，Terraform）。Data collection, governance and data "
    "services: Python on GitHub Actions, infrastructure in Terraform.",
    3,
    ("team", "wu.xia", "hu.jun", "guo.qiang"),
    (
        Round(
            3,
            L(3, 3, 3, 2, 3, 3, 2),
            S.IN_REVIEW,
            started=45,
            submitted=12,
            exhibits=files(
                "github-healthchecks-django.yml",
                "pytest-horovod-gloo-elastic.xml",
                "coveragepy-cobertura.xml",
                "bandit.sarif",
                "ruff.sarif",
                "terraform-aws-s3-bucket-main.tf",
            ),
            decided=("cd.cm", "cd.bci"),
            requests={
                "cd.data.test.source@3": "测试数据如何脱敏？请说明脱敏规则。 How is test data masked? Please "
                "describe the masking rules."
            },
        ),
    ),
)
MOBILE = DemoProject(
    "demo-telecom",
    "移动App Mobile app",
    "掌上营业厅 App（React Native，iOS 与 Android）。The mobile service-hall app: React Native for iOS and Android.",
    3,
    ("team", "li.na", "yang.lei", "huang.min"),
    (
        Round(
            3,
            L(3, 3, 3, 3, 2, 3, 2),
            S.ASSESSED,
            started=52,
            submitted=33,
            not_applicable=dict.fromkeys(
                ("cd.data.change.process", "cd.data.change.rollback", "cd.data.change.monitoring"),
                "App 不持有服务端数据库，数据变更由后端团队负责。 The app holds no server-side database: "
                "data changes are the backend team's.",
            ),
            exhibits=(*files("mobile-app.github.yml", "jest-junit-dorny.xml", "cobertura-js.xml"), dashboard("mobile")),
        ),
    ),
)
SLICING = DemoProject(
    "demo-telecom",
    "5G 切片管理 5G slice management",
    "5G 网络切片的编排与生命周期管理，今年新组建的团队。Orchestration and lifecycle of 5G network slices, by a team "
    "formed this year.",
    2,
    ("team", "zhou.tao", "ma.chao"),
    (
        Round(
            2,
            L(2, 2, 1, 1, 2, 1, 1),
            S.SUBMITTED,
            started=28,
            submitted=3,
            exhibits=files("microservices-demo-ci-main.github.yaml", "k8s-examples-guestbook-all-in-one.yaml"),
        ),
    ),
)
MOBILE_BANKING = DemoProject(
    "demo-bank",
    "手机银行 Mobile banking",
    "Another organisation's project: invisible to Demo Telecom.",
    3,
    ("outsider",),
    (
        Round(
            3,
            L(3, 2, 2, 2, 2, 2, 2),
            S.DRAFT,
            started=10,
            unanswered=("cd.tm", "cd.drm", "cd.env", "cd.data", "cd.mf"),
            records=False,
        ),
    ),
    admin="outsider",
)
DEMO_PROJECTS = (ONLINE_HALL, IOT, CUSTOMER_SERVICE, MARKETING, BILLING, DATA, MOBILE, SLICING, MOBILE_BANKING)
