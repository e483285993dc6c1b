"""One realistic context per notice kind: what the tests render and the web preview shows.

Names of applicants and people are invented; units, clauses and amounts follow the 2024
measures (M01 500,000; M03 100,000 for a university; M06 level 2 120,000). All are issued in
2024, so every sample's number reads 〔2024〕.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ipaward.notices.kinds import (
    AcceptanceContext,
    ApplicationRef,
    CorrectionContext,
    CorrectionItem,
    NoticeContext,
    NoticeHeader,
    OverdueItem,
    PaymentContext,
    PublicityContext,
    PublicityEntry,
    RefusalContext,
    ReminderContext,
    ReviewResultContext,
    TaskContext,
)

AMR = ("city.amr", "漳州市市场监督管理局")
CONTACT = "联系人：林晓东，联系电话：0596-2023456"
POLICY = "《漳州市促进知识产权高质量发展若干措施》"

M01 = ApplicationRef(
    number="ZZIP-2024-M01-000003",
    applicant_name="漳州市芯联微电子科技有限公司",
    measure_clause="（一）",
    measure_title="支持引进专利密集型产业",
)
M03 = ApplicationRef(
    number="ZZIP-2024-M03-000002",
    applicant_name="闽南理工学院",
    measure_clause="（三）",
    measure_title="完善知识产权管理体系",
)
M06 = ApplicationRef(
    number="ZZIP-2024-M06-000007",
    applicant_name="漳州市绿源食品股份有限公司",
    measure_clause="（六）",
    measure_title="提升知识产权管理效能与创新水平",
)


def _header(subject: str, addressee: str, issued_on: date, **extra: object) -> NoticeHeader:
    code, name = AMR
    fields: dict[str, object] = {
        "authority_code": code,
        "authority_name": name,
        "addressee": addressee,
        "subject": subject,
        "issued_on": issued_on,
        "contact": CONTACT,
    }
    fields.update(extra)
    return NoticeHeader.model_validate(fields)


def acceptance() -> NoticeContext:
    return AcceptanceContext(
        header=_header(
            "漳州市芯联微电子科技有限公司知识产权奖补申请",
            M01.applicant_name,
            date(2024, 3, 8),
            copy_to=["漳州市龙海区人民政府"],
            note="此件不公开",
        ),
        application=M01,
        submitted_on=date(2024, 3, 4),
        accepted_on=date(2024, 3, 8),
        next_stage="牵头单位审核",
    )


def correction() -> NoticeContext:
    """Measure 3 is led by the education bureau, so its notices carry that bureau's number."""
    return CorrectionContext(
        header=_header(
            "闽南理工学院知识产权奖补申请",
            M03.applicant_name,
            date(2024, 4, 10),
            authority_code="city.education",
            authority_name="漳州市教育局",
            contact="联系人：陈静，联系电话：0596-2591234",
            attachments=["知识产权管理体系认证材料清单（样表）"],
            note="此件不公开",
        ),
        application=M03,
        submitted_on=date(2024, 4, 3),
        items=[
            CorrectionItem(
                kind="document",
                name="GB/T 33251-2016《高等学校知识产权管理规范》认证证书",
                reason="未提交，无法核实认证标准及首次认证时间",
            ),
            CorrectionItem(
                kind="document",
                name="认证机构出具的审核报告",
                reason="复印件未加盖申报单位公章",
            ),
            CorrectionItem(
                kind="field",
                name="申报单位统一社会信用代码",
                reason="校验位错误，与事业单位法人证书不一致",
            ),
        ],
        deadline=date(2024, 4, 24),
        working_days=10,
        submit_to="请登录漳州市知识产权奖补申报系统上传补正材料，纸质材料送漳州市教育局"
        "科技与信息化科",
        lapse_stage="acceptance",  # asked at intake: a lapse is 不予受理
    )


def refusal() -> NoticeContext:
    return RefusalContext(
        header=_header(
            "漳州市芯联微电子科技有限公司知识产权奖补申请",
            M01.applicant_name,
            date(2024, 6, 14),
            note="此件不公开",
        ),
        application=M01,
        stage="award",
        facts=[
            "你单位于2022年5月10日引进落户漳州市龙海区。",
            "经核查，你单位自引进之日起两年内新增授权发明专利38件，其中高价值发明专利15件。",
        ],
        rules=[
            f"{POLICY}第（一）条：对新引进的企业，两年内新增发明专利40件以上（含40件），"
            "且高价值发明专利占发明专利数量不少于1/3的，每家一次性给予50万元的奖励。",
        ],
        reason="你单位两年内新增发明专利38件，未达到40件以上（含40件）的条件。",
        reconsideration_authority="漳州市人民政府",
    )


def review_result() -> NoticeContext:
    return ReviewResultContext(
        header=_header(
            "漳州市绿源食品股份有限公司知识产权奖补申请",
            M06.applicant_name,
            date(2024, 9, 20),
            note="此件不公开",
        ),
        application=M06,
        requested_amount=180_000,
        approved_amount=120_000,
        explanation=[
            "经核查，你单位取得的创新与知识产权管理能力（ISO 56005）分级评价证书等级为"
            "二级（过程级），并非申报的三级（项目级）。",
            f"依据{POLICY}第（六）条，分级评价为一级到五级的，分别一次性给予8万元、12万元、"
            "18万元、24万元、38万元的补助，二级核定120,000元。",
        ],
        review_steps=["单位申报", "形式审查", "牵头单位审核", "责任单位会签"],
    )


def publicity() -> NoticeContext:
    return PublicityContext(
        header=_header(
            "2024年第三批知识产权奖补资金拟奖补名单",
            "各有关单位",
            date(2024, 10, 11),
            note="此件主动公开",
        ),
        entries=[
            PublicityEntry(application=M01, amount=500_000),
            PublicityEntry(application=M03, amount=100_000),
            PublicityEntry(application=M06, amount=120_000),
        ],
        review_steps=["单位申报", "形式审查", "牵头单位审核", "责任单位会签"],
        period_start=date(2024, 10, 14),
        period_end=date(2024, 10, 18),
        objection_to="漳州市市场监督管理局知识产权科",
        objection_address="漳州市芗城区胜利东路1号",
        objection_phone="0596-2023456",
    )


def payment() -> NoticeContext:
    return PaymentContext(
        header=_header(
            "漳州市芯联微电子科技有限公司知识产权奖补申请",
            "漳州市财政局、漳州市龙海区财政局",
            date(2024, 10, 28),
            attachments=["奖补资金拨付明细表", "拟奖补名单公示情况说明"],
            copy_to=["漳州市龙海区人民政府", "漳州市芯联微电子科技有限公司"],
            note="此件不公开",
        ),
        application=M01,
        amount=500_000,
        city_amount=350_000,
        county_amount=150_000,
        county_finance="漳州市龙海区财政局",
        account_note="收款账户须为该单位申报时登记的基本存款账户，户名与申报单位名称一致。",
    )


def task() -> NoticeContext:
    return TaskContext(
        header=_header(
            "知识产权奖补申请会审事项",
            "漳州市工业和信息化局",
            date(2024, 5, 6),
            note="此件不公开",
        ),
        application=M01,
        work_item_id=118,
        work_item="会审：核实企业引进时间及所属产业",
        stage="会审",
        due_on=date(2024, 5, 17),
        instructions="请登录漳州市知识产权奖补管理系统，在“我的待办”中查阅申报材料并签署会审意见。",
    )


def reminder() -> NoticeContext:
    return ReminderContext(
        header=_header(
            "知识产权奖补申请逾期待办事项",
            "漳州市龙海区人民政府",
            date(2024, 5, 27),
            copy_to=["漳州市加快建设知识产权强市领导小组办公室"],
            note="此件不公开",
        ),
        items=[
            OverdueItem(
                application=M01,
                work_item_id=121,
                work_item="会审：核实企业落户及纳税情况",
                stage="会审",
                due_on=date(2024, 5, 17),
                overdue_working_days=6,
            ),
            OverdueItem(
                application=M06,
                work_item_id=134,
                work_item="牵头单位审核：核验分级评价证书",
                stage="牵头单位审核",
                due_on=date(2024, 5, 22),
                overdue_working_days=3,
            ),
        ],
    )


SAMPLES: dict[str, Callable[[], NoticeContext]] = {
    "acceptance": acceptance,
    "correction": correction,
    "refusal": refusal,
    "review_result": review_result,
    "publicity": publicity,
    "payment": payment,
    "task": task,
    "reminder": reminder,
}
