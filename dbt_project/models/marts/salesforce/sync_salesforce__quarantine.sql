{# Every record that cannot be loaded, with a reason and what to do about it. Each area adds its
   int_quarantine__<area> model here. #}
{%- set areas = [
    'int_quarantine__customers', 'int_quarantine__cases', 'int_quarantine__case_lookups', 'int_quarantine__case_tags', 'int_quarantine__messages',
    'int_quarantine__files', 'int_quarantine__history', 'int_quarantine__custom_objects',
] %}
{% for area in areas %}
select
    cast(object as string) as object,
    cast(stames_id as string) as stames_id,
    cast(reason as string) as reason,
    cast(detail as string) as detail
from {{ ref(area) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
