with sales_lines as (

    select * from int_sales_lines

),

monthly as (

    select
        date_trunc('month', sold_on) as sales_month,
        channel,
        count(distinct sale_id) as sale_count,
        sum(quantity) as units_sold,
        sum(line_amount) as revenue

    from sales_lines

    group by date_trunc('month', sold_on), channel

),

running as (

    select
        sales_month,
        channel,
        sale_count,
        units_sold,
        revenue,
        sum(revenue) over (
            partition by channel
            order by sales_month
            rows between unbounded preceding and current row
        ) as revenue_to_date

    from monthly

)

select * from running
