{# Every record excluded from the sync tables is excluded under a rule the mapping names and
   enables: a rule the transform applies on its own would hide records. #}
{% for area in ['int_excluded__customers', 'int_excluded__cases', 'int_excluded__messages', 'int_excluded__files', 'int_excluded__history'] %}
select object, stames_id, rule
from {{ ref(area) }}
where rule not in (select name from {{ ref('stg_mapping__exclusions') }} where enabled)
{% if not loop.last %}union all{% endif %}
{% endfor %}
