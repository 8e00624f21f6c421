"""Demo articles for the 12345 centre's knowledge base: the questions Beijing's
callers ask most (garbage sorting, the heating season, the residence permit, …),
answered from the public rules. Idempotent: an article whose title exists is
left as it is, so an editor's changes survive `make run`."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from complaints.models import Category
from complaints.services.regions import ImportResult
from dispatch.models import KnowledgeArticle
from dispatch.services.knowledge import ArticleInput, article_write_new


@dataclass(frozen=True)
class DemoArticle:
    title: str
    answer: str
    category_codes: tuple[str, ...]
    valid_from: date
    valid_until: date | None
    source_document: str
    source_url: str = ""


DEMO_ARTICLES = (
    DemoArticle(
        "生活垃圾分类投放时间和要求",
        "本市生活垃圾分为厨余垃圾、可回收物、有害垃圾和其他垃圾四类，应分类投放到相应标识的收集容器。\n"
        "集中投放的时间和地点由小区物业或社区确定并在投放点公示，多数小区为早晚两个时段；"
        "具体以小区公示为准。大件垃圾、装修垃圾需单独预约清运，不得投入生活垃圾桶站。\n"
        "来电反映投放点未公示时间、桶站无人值守或混装混运的，可登记诉求转属地街道办事处处理。",
        ("city_appearance.sorting", "city_appearance.garbage"),
        date(2020, 5, 1),
        None,
        "《北京市生活垃圾管理条例》（2020年5月1日起施行）",
    ),
    DemoArticle(
        "北京市供暖季时间",
        "本市法定供暖期为每年11月15日至次年3月15日。遇气温偏低等情况，市政府可决定提前或延长供暖，"
        "以当年公布的通知为准。\n"
        "供暖期内居民住宅卧室、起居室温度不低于18℃。室温不达标的，可先联系供热单位报修；"
        "未解决的，登记诉求转供热单位处理。",
        ("utilities.heating", "utilities.heating_fault"),
        date(2024, 1, 1),
        None,
        "《北京市供热采暖管理办法》",
    ),
    DemoArticle(
        "2026—2027年供暖季开始时间",
        "2026—2027年供暖季自2026年11月15日起正式供暖，试运行一般提前数日进行。"
        "居民家中暖气试水、放风期间请留人在家。\n"
        "试运行期间暖气不热的，多为管道存气，可按供热单位的提示放风；仍不热的登记诉求转供热单位。",
        ("utilities.heating",),
        date(2026, 10, 15),
        date(2027, 3, 31),
        "市城市管理委员会关于做好本供暖季供热工作的通知",
    ),
    DemoArticle(
        "2025—2026年供暖季开始时间",
        "2025—2026年供暖季自2025年11月15日起正式供暖，至2026年3月15日结束。",
        ("utilities.heating",),
        date(2025, 10, 15),
        date(2026, 3, 31),
        "市城市管理委员会关于做好本供暖季供热工作的通知",
    ),
    DemoArticle(
        "北京市居住证办理条件和材料",
        "非本市户籍人员在本市居住半年以上，并符合有合法稳定就业、合法稳定住所、连续就读条件之一的，"
        "可以申领北京市居住证。\n"
        "申领时携带本人居民身份证、居住登记卡以及就业、住所或就读证明材料，"
        "到居住地的社区（村）服务站或派出所提交申请。居住证每年签注一次。",
        ("public_services.household",),
        date(2016, 10, 1),
        None,
        "《北京市实施〈居住证暂行条例〉办法》",
    ),
    DemoArticle(
        "夜间施工噪声的规定",
        "夜间（22时至次日6时）在噪声敏感建筑物集中区域禁止进行产生噪声的建筑施工作业，"
        "但抢修、抢险施工作业和因生产工艺要求或者特殊需要必须连续施工作业的除外；"
        "因特殊需要必须连续施工的，应当取得证明并公告附近居民。\n"
        "来电反映夜间施工扰民的，请记录地点和施工时间，登记诉求转属地街道办事处处理。",
        ("noise.construction",),
        date(2022, 6, 5),
        None,
        "《中华人民共和国噪声污染防治法》（2022年6月5日起施行）",
    ),
    DemoArticle(
        "养犬登记和限养规定",
        "在本市重点管理区内，每户只准养一只犬，不得饲养烈性犬、大型犬；养犬应当办理登记并按时年检。\n"
        "携犬出户应当束犬链并由成年人牵领，及时清除犬只粪便。遇犬只伤人的，请立即拨打110。",
        ("public_order.pets",),
        date(2003, 10, 1),
        None,
        "《北京市养犬管理规定》",
    ),
)


def knowledge_seed() -> ImportResult:
    """The demo articles, each written once (version 1, no author)."""
    result = ImportResult()
    existing = set(
        KnowledgeArticle.objects.filter(title__in=[a.title for a in DEMO_ARTICLES]).values_list("title", flat=True)
    )
    codes = {code for article in DEMO_ARTICLES for code in article.category_codes}
    category_ids = dict(Category.objects.filter(code__in=codes).values_list("code", "pk"))
    with transaction.atomic():
        for article in DEMO_ARTICLES:
            if article.title in existing:
                result.unchanged += 1
                continue
            data = ArticleInput(
                title=article.title,
                answer=article.answer,
                # A deployment without a category keeps the article, unfiled.
                category_ids=[category_ids[code] for code in article.category_codes if code in category_ids],
                valid_from=article.valid_from,
                valid_until=article.valid_until,
                source_document=article.source_document,
                source_url=article.source_url,
            )
            article_write_new(author=None, data=data)
            result.created += 1
    return result
